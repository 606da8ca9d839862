import type pg from 'pg';
import type { StaffUser, StaffUserRepository } from '../../console/ports.js';
import { fromStaffUserRow as fromRow, STAFF_USER_COLUMNS, toStaffUserRow, type StaffUserRow } from '../rows/staff-user.row.js';
import { positionalPlaceholders } from '../rows/placeholders.js';

const COLUMNS = STAFF_USER_COLUMNS.join(', ');

/** Console staff accounts in the `staff_users` table, shared by every instance and the `npm run staff` CLI. */
export class PgStaffUserRepository implements StaffUserRepository {
  constructor(private readonly pool: pg.Pool) {}

  async get(username: string): Promise<StaffUser | undefined> {
    const { rows } = await this.pool.query<StaffUserRow>(`SELECT ${COLUMNS} FROM staff_users WHERE username = $1`, [username]);
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async list(): Promise<StaffUser[]> {
    // Sorted like the other repositories (localeCompare); staff lists are short.
    const { rows } = await this.pool.query<StaffUserRow>(`SELECT ${COLUMNS} FROM staff_users`);
    return rows.map(fromRow).sort((a, b) => a.username.localeCompare(b.username));
  }

  async count(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>('SELECT count(*)::integer AS n FROM staff_users');
    return rows[0]?.n ?? 0;
  }

  async create(user: StaffUser): Promise<boolean> {
    const row = toStaffUserRow(user);
    const result = await this.pool.query(
      `INSERT INTO staff_users (${COLUMNS}) VALUES (${positionalPlaceholders(STAFF_USER_COLUMNS)})
       ON CONFLICT (username) DO NOTHING`,
      STAFF_USER_COLUMNS.map((column) => row[column]),
    );
    return result.rowCount === 1;
  }

  async setPassword(username: string, passwordHash: string): Promise<boolean> {
    const result = await this.pool.query('UPDATE staff_users SET password_hash = $1 WHERE username = $2', [passwordHash, username]);
    return result.rowCount === 1;
  }
}
