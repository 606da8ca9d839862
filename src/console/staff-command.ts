import { parseArgs } from 'node:util';
import type { TFunction } from '../i18n/create-i18n.js';
import type { StaffUserRepository } from './ports.js';
import { hashPassword } from './password-hasher.js';
import { createStaffUser, passwordSchema, StaffAccountError, usernameSchema } from './staff-accounts.js';

/** Terminal input and output of the staff command, replaceable in tests. */
export interface StaffCommandIo {
  /** Reads a secret (hidden when interactive). */
  readSecret(prompt: string): Promise<string>;
  /** Whether secrets are typed by a person (then asked twice). */
  readonly interactive: boolean;
  out(line: string): void;
  err(line: string): void;
}

/**
 * `npm run staff -- add <name> [--display-name <name>] [--role agent|admin]`, `passwd <name>`, `list`.
 * Passwords are never taken from the command line (they would end up in shell history): typed, or piped on stdin.
 * Returns the process exit code.
 */
export async function runStaffCommand(argv: readonly string[], staff: StaffUserRepository, io: StaffCommandIo, t: TFunction): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { 'display-name': { type: 'string' }, role: { type: 'string' } },
    });
  } catch (error) {
    io.err((error as Error).message);
    io.err(t('console:cli.usage'));
    return 64;
  }
  const [command, name] = parsed.positionals;
  const role = parsed.values.role ?? 'agent';
  if (command === 'list') {
    for (const user of await staff.list()) io.out(`${user.username}\t${user.role}\t${user.displayName}\t${user.createdAt}`);
    return 0;
  }
  if ((command !== 'add' && command !== 'passwd') || !name || (role !== 'agent' && role !== 'admin')) {
    io.err(t('console:cli.usage'));
    return 64;
  }
  const username = usernameSchema.safeParse(name);
  if (!username.success) {
    io.err(t('console:cli.badUsername'));
    return 65;
  }
  const password = await io.readSecret(t('console:cli.passwordPrompt', { name: username.data }));
  if (io.interactive && (await io.readSecret(t('console:cli.passwordRepeat'))) !== password) {
    io.err(t('console:cli.mismatch'));
    return 65;
  }
  if (!passwordSchema.safeParse(password).success) {
    io.err(t('console:cli.weakPassword'));
    return 65;
  }
  if (command === 'passwd') {
    if (!(await staff.setPassword(username.data, await hashPassword(password)))) {
      io.err(t('console:cli.unknownUser', { name: username.data }));
      return 67;
    }
    io.out(t('console:cli.passwordChanged', { name: username.data }));
    return 0;
  }
  try {
    const displayName = parsed.values['display-name'];
    await createStaffUser(staff, { username: username.data, password, role, ...(displayName ? { displayName } : {}) });
  } catch (error) {
    if (error instanceof StaffAccountError && error.code === 'STAFF_EXISTS') {
      io.err(t('console:cli.exists', { name: username.data }));
      return 73;
    }
    throw error;
  }
  io.out(t('console:cli.added', { name: username.data, role }));
  return 0;
}
