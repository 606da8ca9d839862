import type pg from 'pg';
import type { HandoffState } from '../../handoff/handoff-state.js';
import {
  definedFields,
  type ConversationIndex,
  type ConversationPatch,
  type ConversationQuery,
  type ConversationRecord,
} from '../../handoff/ports.js';
import {
  CONVERSATION_COLUMN_OF as COLUMN_OF,
  CONVERSATION_INDEX_COLUMNS,
  fromConversationIndexRow as fromRow,
  toConversationIndexRow,
  type ConversationIndexRow,
} from '../rows/conversation-index.row.js';
import { positionalPlaceholders } from '../rows/placeholders.js';
import { inTransaction } from './pg-transaction.js';
import { PG_ROW_WRITING } from './pg-text.js';

const DEFAULT_LIMIT = 200;
const COLUMNS = CONVERSATION_INDEX_COLUMNS;
const SELECT = `SELECT ${COLUMNS.join(', ')} FROM conversation_index`;

type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

/**
 * The handoff's {@link ConversationIndex} in PostgreSQL. `update` with an expected state is one conditional
 * UPDATE: a second instance's UPDATE of the same row waits for the first to commit, then re-reads the row and
 * finds the state changed, so exactly one staff member takes a queued conversation over.
 */
export class PgConversationIndex implements ConversationIndex {
  constructor(private readonly pool: pg.Pool) {}

  async get(conversationId: string): Promise<ConversationRecord | undefined> {
    const { rows } = await this.pool.query<ConversationIndexRow>(`${SELECT} WHERE conversation_id = $1`, [conversationId]);
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async update(
    conversationId: string,
    patch: ConversationPatch,
    expectedState?: HandoffState,
  ): Promise<ConversationRecord | undefined> {
    const fields = patchedColumns(patch);
    const params: unknown[] = [conversationId];
    let where = 'conversation_id = $1';
    if (expectedState !== undefined) {
      params.push(expectedState);
      where += ` AND handoff_state = $${params.length}`;
    }
    if (fields.length === 0) {
      const { rows } = await this.pool.query<ConversationIndexRow>(`${SELECT} WHERE ${where}`, params);
      return rows[0] ? fromRow(rows[0]) : undefined;
    }
    const assignments = fields.map(([column, value]) => {
      params.push(value);
      return `${column} = $${params.length}`;
    });
    const { rows } = await this.pool.query<ConversationIndexRow>(
      `UPDATE conversation_index SET ${assignments.join(', ')} WHERE ${where} RETURNING ${COLUMNS.join(', ')}`,
      params,
    );
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async touch(initial: ConversationRecord, patchFor: (existing: ConversationRecord) => ConversationPatch): Promise<ConversationRecord> {
    // The patch is computed from the stored record, so the row stays locked from the read to the write: two
    // instances observing activities of one conversation cannot lose each other's changes.
    return inTransaction(this.pool, async (client) => {
      for (;;) {
        const { rows } = await client.query<ConversationIndexRow>(`${SELECT} WHERE conversation_id = $1 FOR UPDATE`, [
          initial.conversationId,
        ]);
        const row = rows[0];
        const existing = row ? fromRow(row) : initial;
        const patch = definedFields(patchFor(existing));
        const touched: ConversationRecord = { ...existing, ...patch };
        if (row) {
          await this.writeColumns(client, initial.conversationId, patchedColumns(patch));
          return touched;
        }
        const values = toRow(touched);
        const inserted = await client.query(
          `INSERT INTO conversation_index (${COLUMNS.join(', ')})
           VALUES (${positionalPlaceholders(COLUMNS)}) ON CONFLICT (conversation_id) DO NOTHING`,
          COLUMNS.map((column) => values[column]),
        );
        if (inserted.rowCount === 1) return touched;
        // Another instance inserted it since our read: read it again (now it exists, so FOR UPDATE locks it).
      }
    });
  }

  private async writeColumns(client: Queryable, conversationId: string, fields: ReadonlyArray<[string, unknown]>): Promise<void> {
    if (fields.length === 0) return;
    const assignments = fields.map(([column], index) => `${column} = $${index + 2}`).join(', ');
    await client.query(`UPDATE conversation_index SET ${assignments} WHERE conversation_id = $1`, [
      conversationId,
      ...fields.map(([, value]) => value),
    ]);
  }

  async list(query: ConversationQuery = {}): Promise<ConversationRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.states && query.states.length > 0) {
      params.push([...query.states]);
      where.push(`handoff_state = ANY($${params.length}::text[])`);
    }
    if (query.conversationIds) {
      if (query.conversationIds.length === 0) return [];
      params.push([...query.conversationIds]);
      where.push(`conversation_id = ANY($${params.length}::text[])`);
    }
    params.push(query.limit ?? DEFAULT_LIMIT);
    const { rows } = await this.pool.query<ConversationIndexRow>(
      `${SELECT} ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY last_activity_at DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(fromRow);
  }

  async listCreatedSince(sinceIso: string): Promise<ConversationRecord[]> {
    const { rows } = await this.pool.query<ConversationIndexRow>(`${SELECT} WHERE created_at >= $1 ORDER BY created_at DESC`, [sinceIso]);
    return rows.map(fromRow);
  }
}

/** Column and value of each field the patch gives (unknown keys, id and creation time are not patchable). */
function patchedColumns(patch: ConversationPatch): Array<[string, unknown]> {
  const defined = definedFields(patch);
  const row = toRow({ ...(defined as ConversationRecord) });
  return (Object.keys(defined) as (keyof ConversationPatch)[])
    .filter((field) => field in COLUMN_OF)
    .map((field) => [COLUMN_OF[field], row[COLUMN_OF[field]]]);
}

function toRow(record: ConversationRecord): ConversationIndexRow {
  return toConversationIndexRow(record, PG_ROW_WRITING);
}
