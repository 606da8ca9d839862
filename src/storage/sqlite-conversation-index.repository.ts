import type { Database, Statement } from 'better-sqlite3';
import { SqliteGroupCommit } from './sqlite-group-commit.js';
import type { HandoffState } from '../handoff/handoff-state.js';
import {
  definedFields,
  type ConversationIndex,
  type ConversationPatch,
  type ConversationQuery,
  type ConversationRecord,
} from '../handoff/ports.js';
import {
  CONVERSATION_COLUMN_OF as COLUMN_OF,
  CONVERSATION_INDEX_COLUMNS,
  fromConversationIndexRow as fromRow,
  toConversationIndexRow,
  type ConversationIndexRow,
} from './rows/conversation-index.row.js';
import { namedPlaceholders } from './rows/placeholders.js';
import { AS_GIVEN } from './rows/row-writing.js';

const DEFAULT_LIMIT = 200;
const COLUMNS = CONVERSATION_INDEX_COLUMNS.join(', ');

/** The handoff's {@link ConversationIndex} in the `conversation_index` table. */
export class SqliteConversationIndex implements ConversationIndex {
  private readonly select: Statement<[string], ConversationIndexRow>;
  private readonly insert: Statement<ConversationIndexRow>;
  private readonly replace: Statement<ConversationIndexRow>;
  private readonly selectCreatedSince: Statement<[string], ConversationIndexRow>;
  /** Prepared UPDATEs by the set of patched columns (a handful of shapes in practice). */
  private readonly updates = new Map<string, Statement<ConversationIndexRow>>();
  private readonly updateTx: (
    conversationId: string,
    patch: ConversationPatch,
    expectedState: HandoffState | undefined,
  ) => ConversationRecord | undefined;

  private readonly commits: SqliteGroupCommit;

  constructor(private readonly db: Database) {
    this.commits = SqliteGroupCommit.for(db);
    this.select = db.prepare(`SELECT ${COLUMNS} FROM conversation_index WHERE conversation_id = ?`);
    const values = namedPlaceholders(CONVERSATION_INDEX_COLUMNS);
    this.insert = db.prepare(`INSERT OR IGNORE INTO conversation_index (${COLUMNS}) VALUES (${values})`);
    this.replace = db.prepare(`INSERT OR REPLACE INTO conversation_index (${COLUMNS}) VALUES (${values})`);
    this.selectCreatedSince = db.prepare(
      `SELECT ${COLUMNS} FROM conversation_index WHERE created_at >= ? ORDER BY created_at DESC`,
    );
    // Called only after commits.join(): the batch transaction makes each a unit and holds the write lock from the
    // read on, so the compare-and-set holds across processes too (no savepoint needed: nothing throws midway).
    this.updateTx = (conversationId: string, patch: ConversationPatch, expectedState?: HandoffState) => {
      const row = this.select.get(conversationId);
      if (!row) return undefined;
      if (expectedState !== undefined && row.handoff_state !== expectedState) return undefined;
      const updated: ConversationRecord = {
        ...fromRow(row),
        ...definedFields(patch),
        conversationId,
        createdAt: row.created_at,
      };
      this.replace.run(toRow(updated));
      return updated;
    };
  }

  async get(conversationId: string): Promise<ConversationRecord | undefined> {
    const row = this.select.get(conversationId);
    return row ? fromRow(row) : undefined;
  }

  async update(
    conversationId: string,
    patch: ConversationPatch,
    expectedState?: HandoffState,
  ): Promise<ConversationRecord | undefined> {
    this.commits.join();
    const updated = this.updateTx(conversationId, patch, expectedState);
    await this.commits.durable();
    return updated;
  }

  async touch(initial: ConversationRecord, patchFor: (existing: ConversationRecord) => ConversationPatch): Promise<ConversationRecord> {
    this.commits.join();
    const row = this.select.get(initial.conversationId);
    const existing = row ? fromRow(row) : initial;
    const patch = definedFields(patchFor(existing));
    const touched: ConversationRecord = { ...existing, ...patch };
    const fields = Object.keys(patch) as (keyof ConversationPatch)[];
    if (!row) this.insert.run(toRow(touched));
    else if (fields.length > 0) this.updateColumns(fields).run(toRow(touched));
    await this.commits.durable();
    return touched;
  }

  /** An UPDATE of only the patched columns: indexes over other columns are left alone (REPLACE rewrites them all). */
  private updateColumns(fields: readonly (keyof ConversationPatch)[]): Statement<ConversationIndexRow> {
    const key = fields.join(',');
    let statement = this.updates.get(key);
    if (!statement) {
      const assignments = fields.map((field) => `${COLUMN_OF[field]} = @${COLUMN_OF[field]}`).join(', ');
      statement = this.db.prepare(`UPDATE conversation_index SET ${assignments} WHERE conversation_id = @conversation_id`);
      this.updates.set(key, statement);
    }
    return statement;
  }

  async list(query: ConversationQuery = {}): Promise<ConversationRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.states && query.states.length > 0) {
      where.push(`handoff_state IN (${query.states.map(() => '?').join(', ')})`);
      params.push(...query.states);
    }
    if (query.conversationIds) {
      if (query.conversationIds.length === 0) return [];
      // json_each keeps one statement shape whatever the number of ids (no SQLite variable limit).
      where.push('conversation_id IN (SELECT value FROM json_each(?))');
      params.push(JSON.stringify(query.conversationIds));
    }
    const rows = this.db
      .prepare(
        `SELECT ${COLUMNS} FROM conversation_index ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY last_activity_at DESC LIMIT ?`,
      )
      .all(...params, query.limit ?? DEFAULT_LIMIT) as ConversationIndexRow[];
    return rows.map(fromRow);
  }

  async listCreatedSince(sinceIso: string): Promise<ConversationRecord[]> {
    return this.selectCreatedSince.all(sinceIso).map(fromRow);
  }
}

function toRow(record: ConversationRecord): ConversationIndexRow {
  return toConversationIndexRow(record, AS_GIVEN);
}
