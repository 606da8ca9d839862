import type pg from 'pg';
import type { ConsoleSession, ConsoleSessionRepository } from '../../console/ports.js';

interface SessionRow {
  id: string;
  username: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

/** Console sessions (hashed ids only) in the `console_sessions` table: a sign-in holds on every instance. */
export class PgConsoleSessionRepository implements ConsoleSessionRepository {
  constructor(private readonly pool: pg.Pool) {}

  async create(session: ConsoleSession): Promise<void> {
    await this.pool.query(
      `INSERT INTO console_sessions (id, username, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET username = excluded.username, csrf_token = excluded.csrf_token,
         created_at = excluded.created_at, expires_at = excluded.expires_at`,
      [session.id, session.username, session.csrfToken, session.createdAt, session.expiresAt],
    );
  }

  async get(id: string): Promise<ConsoleSession | undefined> {
    const { rows } = await this.pool.query<SessionRow>(
      'SELECT id, username, csrf_token, created_at, expires_at FROM console_sessions WHERE id = $1',
      [id],
    );
    const row = rows[0];
    return row
      ? { id: row.id, username: row.username, csrfToken: row.csrf_token, createdAt: row.created_at, expiresAt: row.expires_at }
      : undefined;
  }

  async delete(id: string): Promise<void> {
    await this.pool.query('DELETE FROM console_sessions WHERE id = $1', [id]);
  }

  async deleteExpired(nowIso: string): Promise<number> {
    const result = await this.pool.query('DELETE FROM console_sessions WHERE expires_at < $1', [nowIso]);
    return result.rowCount ?? 0;
  }
}
