import type pg from 'pg';
import type { StaffRole, StaffUser, StaffUserRepository } from '../../console/ports.js';

interface StaffRow {
  username: string;
  display_name: string;
  password_hash: string;
  role: StaffRole;
  created_at: string;
}

const COLUMNS = 'username, display_name, password_hash, role, created_at';

/** Console staff accounts in the `staff_users` table, shared by every instance and the `npm run staff` CLI. */
export class PgStaffUserRepository implements StaffUserRepository {
  constructor(private readonly pool: pg.Pool) {}

  async get(username: string): Promise<StaffUser | undefined> {
    const { rows } = await this.pool.query<StaffRow>(`SELECT ${COLUMNS} FROM staff_users WHERE username = $1`, [username]);
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async list(): Promise<StaffUser[]> {
    // Sorted like the other repositories (localeCompare); staff lists are short.
    const { rows } = await this.pool.query<StaffRow>(`SELECT ${COLUMNS} FROM staff_users`);
    return rows.map(fromRow).sort((a, b) => a.username.localeCompare(b.username));
  }

  async count(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>('SELECT count(*)::integer AS n FROM staff_users');
    return rows[0]?.n ?? 0;
  }

  async create(user: StaffUser): Promise<boolean> {
    const result = await this.pool.query(
      `INSERT INTO staff_users (${COLUMNS}) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (username) DO NOTHING`,
      [user.username, user.displayName, user.passwordHash, user.role, user.createdAt],
    );
    return result.rowCount === 1;
  }

  async setPassword(username: string, passwordHash: string): Promise<boolean> {
    const result = await this.pool.query('UPDATE staff_users SET password_hash = $1 WHERE username = $2', [passwordHash, username]);
    return result.rowCount === 1;
  }
}

function fromRow(row: StaffRow): StaffUser {
  return {
    username: row.username,
    displayName: row.display_name,
    passwordHash: row.password_hash,
    role: row.role,
    createdAt: row.created_at,
  };
}
