import type { Database, Statement } from 'better-sqlite3';
import { SqliteGroupCommit } from './sqlite-group-commit.js';
import type { StaffUser, StaffUserRepository } from '../console/ports.js';
import { fromStaffUserRow as fromRow, STAFF_USER_COLUMNS, toStaffUserRow, type StaffUserRow } from './rows/staff-user.row.js';
import { namedPlaceholders } from './rows/placeholders.js';

const COLUMNS = STAFF_USER_COLUMNS.join(', ');

/** Console staff accounts in the `staff_users` table; shared with the `npm run staff` CLI process. */
export class SqliteStaffUserRepository implements StaffUserRepository {
  private readonly select: Statement<[string], StaffUserRow>;
  private readonly selectAll: Statement<[], StaffUserRow>;
  private readonly countAll: Statement<[], { n: number }>;
  private readonly insert: Statement<StaffUserRow>;
  private readonly updatePassword: Statement<[string, string]>;

  private readonly commits: SqliteGroupCommit;

  constructor(db: Database) {
    this.commits = SqliteGroupCommit.for(db);
    this.select = db.prepare(`SELECT ${COLUMNS} FROM staff_users WHERE username = ?`);
    this.selectAll = db.prepare(`SELECT ${COLUMNS} FROM staff_users`);
    this.countAll = db.prepare('SELECT COUNT(*) AS n FROM staff_users');
    this.insert = db.prepare(
      `INSERT OR IGNORE INTO staff_users (${COLUMNS})
       VALUES (${namedPlaceholders(STAFF_USER_COLUMNS)})`,
    );
    this.updatePassword = db.prepare('UPDATE staff_users SET password_hash = ? WHERE username = ?');
  }

  async get(username: string): Promise<StaffUser | undefined> {
    const row = this.select.get(username);
    return row ? fromRow(row) : undefined;
  }

  async list(): Promise<StaffUser[]> {
    // Sorted like the in-memory repository (localeCompare); staff lists are short.
    return this.selectAll
      .all()
      .map(fromRow)
      .sort((a, b) => a.username.localeCompare(b.username));
  }

  async count(): Promise<number> {
    return this.countAll.get()?.n ?? 0;
  }

  async create(user: StaffUser): Promise<boolean> {
    this.commits.join();
    const result = this.insert.run(toStaffUserRow(user));
    await this.commits.durable();
    return result.changes === 1;
  }

  async setPassword(username: string, passwordHash: string): Promise<boolean> {
    this.commits.join();
    const { changes } = this.updatePassword.run(passwordHash, username);
    await this.commits.durable();
    return changes === 1;
  }
}
