import { z } from 'zod';
import { generatePassword, hashPassword } from './password-hasher.js';
import type { StaffRole, StaffUser, StaffUserRepository } from './ports.js';

/** Usernames: lower-case letters, digits, `.`, `_`, `-`; 1 to 64 characters. */
export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{1,64}$/, 'use 1-64 lower-case letters, digits, ".", "_" or "-"');

/** Passwords: 8 to 1024 characters. */
export const passwordSchema = z.string().min(8, 'use at least 8 characters').max(1024);

/** A staff account creation refused for a stable reason. */
export class StaffAccountError extends Error {
  constructor(
    readonly code: 'STAFF_EXISTS' | 'STAFF_INVALID',
    message: string,
  ) {
    super(message);
    this.name = 'StaffAccountError';
  }
}

/** Creates a staff account; throws {@link StaffAccountError} on an invalid name or password or an existing name. */
export async function createStaffUser(
  repository: StaffUserRepository,
  input: { username: string; password: string; displayName?: string; role?: StaffRole },
  now: Date = new Date(),
  /** The operator's own CONSOLE_ADMIN_PASSWORD is taken as given (only non-empty). */
  enforcePasswordPolicy = true,
): Promise<StaffUser> {
  const username = usernameSchema.safeParse(input.username);
  if (!username.success) throw new StaffAccountError('STAFF_INVALID', `username: ${username.error.issues[0]?.message ?? 'invalid'}`);
  const password = (enforcePasswordPolicy ? passwordSchema : z.string().min(1).max(1024)).safeParse(input.password);
  if (!password.success) throw new StaffAccountError('STAFF_INVALID', `password: ${password.error.issues[0]?.message ?? 'invalid'}`);
  const user: StaffUser = {
    username: username.data,
    displayName: input.displayName?.trim() || username.data,
    passwordHash: await hashPassword(password.data),
    role: input.role ?? 'agent',
    createdAt: now.toISOString(),
  };
  if (!(await repository.create(user))) throw new StaffAccountError('STAFF_EXISTS', `staff member "${user.username}" already exists`);
  return user;
}

/**
 * Creates the first administrator when no staff exist (first start). Returns the generated password when
 * CONSOLE_ADMIN_PASSWORD was empty, so the caller can log it once; undefined when nothing was generated.
 */
export async function bootstrapAdmin(
  repository: StaffUserRepository,
  config: { readonly CONSOLE_ADMIN_USER: string; readonly CONSOLE_ADMIN_PASSWORD: string },
): Promise<{ created: boolean; username: string; generatedPassword?: string }> {
  const username = usernameSchema.parse(config.CONSOLE_ADMIN_USER);
  if ((await repository.count()) > 0) return { created: false, username };
  const generated = config.CONSOLE_ADMIN_PASSWORD === '' ? generatePassword() : undefined;
  try {
    await createStaffUser(repository, { username, password: generated ?? config.CONSOLE_ADMIN_PASSWORD, role: 'admin' }, new Date(), false);
  } catch (error) {
    // Instances starting together on one database all see no staff; the one that created the account first wins.
    if (error instanceof StaffAccountError && error.code === 'STAFF_EXISTS') return { created: false, username };
    throw error;
  }
  return { created: true, username, ...(generated ? { generatedPassword: generated } : {}) };
}
