import type { StaffRole, StaffUser } from '../../console/ports.js';

/** A row of the `staff_users` table (SQLite and PostgreSQL). */
export interface StaffUserRow {
  username: string;
  display_name: string;
  password_hash: string;
  role: StaffRole;
  created_at: string;
}

/** Every column, in the order the statements list them. */
export const STAFF_USER_COLUMNS: readonly (keyof StaffUserRow)[] = [
  'username',
  'display_name',
  'password_hash',
  'role',
  'created_at',
];

export function toStaffUserRow(user: StaffUser): StaffUserRow {
  return {
    username: user.username,
    display_name: user.displayName,
    password_hash: user.passwordHash,
    role: user.role,
    created_at: user.createdAt,
  };
}

export function fromStaffUserRow(row: StaffUserRow): StaffUser {
  return {
    username: row.username,
    displayName: row.display_name,
    passwordHash: row.password_hash,
    role: row.role,
    createdAt: row.created_at,
  };
}
