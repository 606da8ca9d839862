import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createInMemoryConsoleRepositories } from '../../src/console/in-memory.repositories.js';
import { verifyPassword } from '../../src/console/password-hasher.js';
import { runStaffCommand, type StaffCommandIo } from '../../src/console/staff-command.js';
import { createTranslator } from '../../src/i18n/create-i18n.js';
import { loadLocaleResources } from '../../src/i18n/load-locales.js';

const t = createTranslator(loadLocaleResources(join(import.meta.dirname, '../../locales'))).forLocale('en');

function io(secrets: string[], interactive = false): StaffCommandIo & { outLines: string[]; errLines: string[] } {
  const outLines: string[] = [];
  const errLines: string[] = [];
  return {
    interactive,
    outLines,
    errLines,
    readSecret: async () => secrets.shift() ?? '',
    out: (line) => outLines.push(line),
    err: (line) => errLines.push(line),
  };
}

describe('npm run staff', () => {
  it('adds a staff member with a scrypt hash of the piped password', async () => {
    const { staff } = createInMemoryConsoleRepositories();
    const terminal = io(['a-good-password']);
    expect(await runStaffCommand(['add', 'Wang.Li', '--display-name', 'Wang Li'], staff, terminal, t)).toBe(0);
    const user = await staff.get('wang.li');
    expect(user).toMatchObject({ displayName: 'Wang Li', role: 'agent' });
    expect(user!.passwordHash.startsWith('scrypt$')).toBe(true);
    expect(await verifyPassword('a-good-password', user!.passwordHash)).toBe(true);
    expect(terminal.outLines).toEqual([t('console:cli.added', { name: 'wang.li', role: 'agent' })]);
  });

  it('asks twice when typed and refuses a mismatch, a short password, a duplicate, a bad role', async () => {
    const { staff } = createInMemoryConsoleRepositories();
    expect(await runStaffCommand(['add', 'bob'], staff, io(['password-1', 'password-2'], true), t)).toBe(65);
    expect(await runStaffCommand(['add', 'bob'], staff, io(['short']), t)).toBe(65);
    expect(await runStaffCommand(['add', 'bob', '--role', 'root'], staff, io(['password-1']), t)).toBe(64);
    expect(await staff.count()).toBe(0);
    expect(await runStaffCommand(['add', 'bob', '--role', 'admin'], staff, io(['password-1', 'password-1'], true), t)).toBe(0);
    expect(await runStaffCommand(['add', 'bob'], staff, io(['password-1']), t)).toBe(73);
    expect((await staff.get('bob'))?.role).toBe('admin');
  });

  it('changes a password and lists staff', async () => {
    const { staff } = createInMemoryConsoleRepositories();
    await runStaffCommand(['add', 'bob'], staff, io(['password-1']), t);
    expect(await runStaffCommand(['passwd', 'bob'], staff, io(['password-2']), t)).toBe(0);
    expect(await verifyPassword('password-2', (await staff.get('bob'))!.passwordHash)).toBe(true);
    expect(await runStaffCommand(['passwd', 'nobody'], staff, io(['password-2']), t)).toBe(67);
    const listing = io([]);
    expect(await runStaffCommand(['list'], staff, listing, t)).toBe(0);
    expect(listing.outLines[0]).toMatch(/^bob\tagent\tbob\t/);
  });
});
