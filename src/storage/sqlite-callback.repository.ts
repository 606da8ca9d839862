import type { Database, Statement } from 'better-sqlite3';
import { SqliteGroupCommit } from './sqlite-group-commit.js';
import type { CallbackRepository, CallbackRequest, CallbackStatus } from '../handoff/ports.js';
import { CALLBACK_COLUMNS, fromCallbackRow as fromRow, toCallbackRow, type CallbackRow } from './rows/callback.row.js';
import { namedPlaceholders } from './rows/placeholders.js';
import { AS_GIVEN } from './rows/row-writing.js';

const DEFAULT_LIMIT = 200;
const COLUMNS = CALLBACK_COLUMNS.join(', ');

/** Callback requests (seller's name and phone) in the `callback_requests` table. */
export class SqliteCallbackRepository implements CallbackRepository {
  private readonly insert: Statement<CallbackRow>;
  private readonly select: Statement<[string], CallbackRow>;
  private readonly listAll: Statement<[number], CallbackRow>;
  private readonly listByStatus: Statement<[string, number], CallbackRow>;
  private readonly updateStatus: Statement<[string, string | null, string]>;

  private readonly commits: SqliteGroupCommit;

  constructor(db: Database) {
    this.commits = SqliteGroupCommit.for(db);
    // Same id again replaces the request, as the in-memory repository does.
    this.insert = db.prepare(
      `INSERT OR REPLACE INTO callback_requests (${COLUMNS})
       VALUES (${namedPlaceholders(CALLBACK_COLUMNS)})`,
    );
    this.select = db.prepare(`SELECT ${COLUMNS} FROM callback_requests WHERE id = ?`);
    this.listAll = db.prepare(`SELECT ${COLUMNS} FROM callback_requests ORDER BY created_at DESC LIMIT ?`);
    this.listByStatus = db.prepare(
      `SELECT ${COLUMNS} FROM callback_requests WHERE status = ? ORDER BY created_at DESC LIMIT ?`,
    );
    this.updateStatus = db.prepare('UPDATE callback_requests SET status = ?, handled_by = ? WHERE id = ?');
  }

  async add(request: CallbackRequest): Promise<void> {
    this.commits.join();
    this.insert.run(toCallbackRow(request, AS_GIVEN));
    await this.commits.durable();
  }

  async list(options: { readonly status?: CallbackStatus; readonly limit?: number } = {}): Promise<CallbackRequest[]> {
    const limit = options.limit ?? DEFAULT_LIMIT;
    const rows = options.status === undefined ? this.listAll.all(limit) : this.listByStatus.all(options.status, limit);
    return rows.map(fromRow);
  }

  async setStatus(id: string, status: CallbackStatus, handledBy: string | null): Promise<CallbackRequest | undefined> {
    this.commits.join();
    const { changes } = this.updateStatus.run(status, handledBy, id);
    await this.commits.durable();
    if (changes === 0) return undefined;
    return fromRow(this.select.get(id)!);
  }
}
