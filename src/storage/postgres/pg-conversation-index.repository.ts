import type pg from 'pg';
import type { CaseSummary } from '../../handoff/case-summary.js';
import type { HandoffState } from '../../handoff/handoff-state.js';
import {
  definedFields,
  type ConversationIndex,
  type ConversationPatch,
  type ConversationQuery,
  type ConversationRecord,
} from '../../handoff/ports.js';
import { inTransaction } from './pg-database.js';
import { pgText } from './pg-text.js';

interface IndexRow {
  conversation_id: string;
  channel_id: string;
  locale: string;
  handoff_state: HandoffState;
  assigned_agent: string | null;
  created_at: string;
  last_activity_at: string;
  waiting_since: string | null;
  handoff_requested_at: string | null;
  case_summary: string | null;
  last_seller_text: string | null;
  reference: string | null;
}

const DEFAULT_LIMIT = 200;
const COLUMNS: readonly (keyof IndexRow)[] = [
  'conversation_id',
  'channel_id',
  'locale',
  'handoff_state',
  'assigned_agent',
  'created_at',
  'last_activity_at',
  'waiting_since',
  'handoff_requested_at',
  'case_summary',
  'last_seller_text',
  'reference',
];
const SELECT = `SELECT ${COLUMNS.join(', ')} FROM conversation_index`;

/** Column of each patchable field (a patch never changes conversation_id or created_at). */
const COLUMN_OF: Record<keyof ConversationPatch, keyof IndexRow> = {
  channelId: 'channel_id',
  locale: 'locale',
  handoffState: 'handoff_state',
  assignedAgent: 'assigned_agent',
  lastActivityAt: 'last_activity_at',
  waitingSince: 'waiting_since',
  handoffRequestedAt: 'handoff_requested_at',
  caseSummary: 'case_summary',
  lastSellerText: 'last_seller_text',
  reference: 'reference',
};

type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

/**
 * The handoff's {@link ConversationIndex} in PostgreSQL. `update` with an expected state is one conditional
 * UPDATE: a second instance's UPDATE of the same row waits for the first to commit, then re-reads the row and
 * finds the state changed, so exactly one staff member takes a queued conversation over.
 */
export class PgConversationIndex implements ConversationIndex {
  constructor(private readonly pool: pg.Pool) {}

  async get(conversationId: string): Promise<ConversationRecord | undefined> {
    const { rows } = await this.pool.query<IndexRow>(`${SELECT} WHERE conversation_id = $1`, [conversationId]);
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
      const { rows } = await this.pool.query<IndexRow>(`${SELECT} WHERE ${where}`, params);
      return rows[0] ? fromRow(rows[0]) : undefined;
    }
    const assignments = fields.map(([column, value]) => {
      params.push(value);
      return `${column} = $${params.length}`;
    });
    const { rows } = await this.pool.query<IndexRow>(
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
        const { rows } = await client.query<IndexRow>(`${SELECT} WHERE conversation_id = $1 FOR UPDATE`, [
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
           VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}) ON CONFLICT (conversation_id) DO NOTHING`,
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
    const { rows } = await this.pool.query<IndexRow>(
      `${SELECT} ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY last_activity_at DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(fromRow);
  }

  async listCreatedSince(sinceIso: string): Promise<ConversationRecord[]> {
    const { rows } = await this.pool.query<IndexRow>(`${SELECT} WHERE created_at >= $1 ORDER BY created_at DESC`, [sinceIso]);
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

function toRow(record: ConversationRecord): IndexRow {
  return {
    conversation_id: record.conversationId,
    channel_id: record.channelId,
    locale: record.locale,
    handoff_state: record.handoffState,
    assigned_agent: record.assignedAgent,
    created_at: record.createdAt,
    last_activity_at: record.lastActivityAt,
    waiting_since: record.waitingSince,
    handoff_requested_at: record.handoffRequestedAt,
    case_summary: record.caseSummary === null || record.caseSummary === undefined ? null : JSON.stringify(record.caseSummary),
    last_seller_text: record.lastSellerText === undefined ? null : pgText(record.lastSellerText),
    reference: record.reference === null || record.reference === undefined ? null : JSON.stringify(record.reference),
  };
}

function fromRow(row: IndexRow): ConversationRecord {
  return {
    conversationId: row.conversation_id,
    channelId: row.channel_id,
    locale: row.locale,
    handoffState: row.handoff_state,
    assignedAgent: row.assigned_agent,
    createdAt: row.created_at,
    lastActivityAt: row.last_activity_at,
    waitingSince: row.waiting_since,
    handoffRequestedAt: row.handoff_requested_at,
    // Written only from validated records by this class, so parsing back needs no schema.
    caseSummary: row.case_summary === null ? null : (JSON.parse(row.case_summary) as CaseSummary),
    lastSellerText: row.last_seller_text,
    reference: row.reference === null ? null : (JSON.parse(row.reference) as Record<string, unknown>),
  };
}
