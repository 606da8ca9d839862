import type { Database, Statement } from 'better-sqlite3';
import { SqliteGroupCommit } from './sqlite-group-commit.js';
import type { ConsoleSession, ConsoleSessionRepository } from '../console/ports.js';

interface SessionRow {
  id: string;
  username: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

/** Console sessions (hashed ids only) in the `console_sessions` table, so sign-ins survive a restart. */
export class SqliteConsoleSessionRepository implements ConsoleSessionRepository {
  private readonly insert: Statement<SessionRow>;
  private readonly select: Statement<[string], SessionRow>;
  private readonly remove: Statement<[string]>;
  private readonly removeExpired: Statement<[string]>;

  private readonly commits: SqliteGroupCommit;

  constructor(db: Database) {
    this.commits = SqliteGroupCommit.for(db);
    this.insert = db.prepare(
      `INSERT OR REPLACE INTO console_sessions (id, username, csrf_token, created_at, expires_at)
       VALUES (@id, @username, @csrf_token, @created_at, @expires_at)`,
    );
    this.select = db.prepare(
      'SELECT id, username, csrf_token, created_at, expires_at FROM console_sessions WHERE id = ?',
    );
    this.remove = db.prepare('DELETE FROM console_sessions WHERE id = ?');
    this.removeExpired = db.prepare('DELETE FROM console_sessions WHERE expires_at < ?');
  }

  async create(session: ConsoleSession): Promise<void> {
    this.commits.join();
    this.insert.run({
      id: session.id,
      username: session.username,
      csrf_token: session.csrfToken,
      created_at: session.createdAt,
      expires_at: session.expiresAt,
    });
    await this.commits.durable();
  }

  async get(id: string): Promise<ConsoleSession | undefined> {
    const row = this.select.get(id);
    return row
      ? { id: row.id, username: row.username, csrfToken: row.csrf_token, createdAt: row.created_at, expiresAt: row.expires_at }
      : undefined;
  }

  async delete(id: string): Promise<void> {
    this.commits.join();
    this.remove.run(id);
    await this.commits.durable();
  }

  async deleteExpired(nowIso: string): Promise<number> {
    this.commits.join();
    const { changes } = this.removeExpired.run(nowIso);
    await this.commits.durable();
    return changes;
  }
}
