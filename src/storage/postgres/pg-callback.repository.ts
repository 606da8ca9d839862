import type pg from 'pg';
import type { CallbackRepository, CallbackRequest, CallbackStatus } from '../../handoff/ports.js';
import { CALLBACK_COLUMNS, fromCallbackRow as fromRow, toCallbackRow, type CallbackRow } from '../rows/callback.row.js';
import { positionalPlaceholders } from '../rows/placeholders.js';
import { PG_ROW_WRITING } from './pg-text.js';

const DEFAULT_LIMIT = 200;
const COLUMNS = CALLBACK_COLUMNS.join(', ');

/** Callback requests (seller's name and phone) in the `callback_requests` table. */
export class PgCallbackRepository implements CallbackRepository {
  constructor(private readonly pool: pg.Pool) {}

  async add(request: CallbackRequest): Promise<void> {
    const row = toCallbackRow(request, PG_ROW_WRITING);
    // Same id again replaces the request, as the in-memory and SQLite repositories do.
    await this.pool.query(
      `INSERT INTO callback_requests (${COLUMNS}) VALUES (${positionalPlaceholders(CALLBACK_COLUMNS)})
       ON CONFLICT (id) DO UPDATE SET conversation_id = excluded.conversation_id, name = excluded.name,
         phone = excluded.phone, locale = excluded.locale, created_at = excluded.created_at,
         status = excluded.status, handled_by = excluded.handled_by`,
      CALLBACK_COLUMNS.map((column) => row[column]),
    );
  }

  async list(options: { readonly status?: CallbackStatus; readonly limit?: number } = {}): Promise<CallbackRequest[]> {
    const limit = options.limit ?? DEFAULT_LIMIT;
    const { rows } =
      options.status === undefined
        ? await this.pool.query<CallbackRow>(`SELECT ${COLUMNS} FROM callback_requests ORDER BY created_at DESC LIMIT $1`, [limit])
        : await this.pool.query<CallbackRow>(
            `SELECT ${COLUMNS} FROM callback_requests WHERE status = $1 ORDER BY created_at DESC LIMIT $2`,
            [options.status, limit],
          );
    return rows.map(fromRow);
  }

  async setStatus(id: string, status: CallbackStatus, handledBy: string | null): Promise<CallbackRequest | undefined> {
    const { rows } = await this.pool.query<CallbackRow>(
      `UPDATE callback_requests SET status = $1, handled_by = $2 WHERE id = $3 RETURNING ${COLUMNS}`,
      [status, handledBy, id],
    );
    return rows[0] ? fromRow(rows[0]) : undefined;
  }
}
