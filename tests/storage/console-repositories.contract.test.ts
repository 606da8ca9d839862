import { afterEach, describe, expect, it } from 'vitest';
import { createInMemoryConsoleRepositories } from '../../src/console/in-memory.repositories.js';
import type { ConsoleRepositories, ConsoleSession, StaffUser } from '../../src/console/ports.js';
import { createLogger } from '../../src/logger.js';
import { createSqliteStores } from '../../src/storage/create-sqlite-stores.js';
import { PgConsoleSessionRepository } from '../../src/storage/postgres/pg-console-session.repository.js';
import type { PgDatabase } from '../../src/storage/postgres/pg-database.js';
import { PgStaffUserRepository } from '../../src/storage/postgres/pg-staff-user.repository.js';
import { pgTestFileSchema } from './pg-test-schema.js';
import { makeTempDataDir } from './temp-data-dir.js';

interface Harness {
  readonly repos: ConsoleRepositories;
  restart?(): ConsoleRepositories | Promise<ConsoleRepositories>;
  dispose(): void | Promise<void>;
}

type Factory = () => Harness | Promise<Harness>;

const logger = createLogger('silent');

function sqliteHarness(): Harness {
  const temp = makeTempDataDir();
  let stores = createSqliteStores(temp.dir, logger);
  return {
    repos: stores.console,
    restart: () => {
      stores.close();
      stores = createSqliteStores(temp.dir, logger);
      return stores.console;
    },
    dispose: () => {
      stores.close();
      temp.remove();
    },
  };
}

const pgRepositories = ({ pool }: PgDatabase): ConsoleRepositories => ({
  staff: new PgStaffUserRepository(pool),
  sessions: new PgConsoleSessionRepository(pool),
});

const pgSchema = pgTestFileSchema();

async function pgHarness(): Promise<Harness> {
  const test = await pgSchema.open();
  return {
    repos: pgRepositories(test.database),
    restart: async () => pgRepositories(await test.reopen()),
    dispose: () => test.dispose(),
  };
}

const implementations: ReadonlyArray<readonly [string, Factory]> = [
  ['in-memory', () => ({ repos: createInMemoryConsoleRepositories(), dispose: () => undefined })],
  ['SQLite', sqliteHarness],
  ['PostgreSQL', pgHarness],
];

const user = (username: string, role: StaffUser['role'] = 'agent'): StaffUser => ({
  username,
  displayName: `Consultant ${username}`,
  passwordHash: `scrypt$16384$8$1$c2FsdA==$${username}`,
  role,
  createdAt: '2026-11-26T08:00:00.000Z',
});

const session = (id: string, expiresAt: string): ConsoleSession => ({
  id,
  username: 'admin',
  csrfToken: `csrf-${id}`,
  createdAt: '2026-11-26T08:00:00.000Z',
  expiresAt,
});

describe.each(implementations)('console repositories contract: %s', (_name, create) => {
  let harness: Harness;
  afterEach(() => harness.dispose());
  const open = async (): Promise<ConsoleRepositories> => {
    harness = await create();
    return harness.repos;
  };

  it('creates staff once, lists them by username and counts them', async () => {
    const { staff } = await open();
    expect(await staff.count()).toBe(0);
    expect(await staff.create(user('wang'))).toBe(true);
    expect(await staff.create(user('admin', 'admin'))).toBe(true);
    expect(await staff.create({ ...user('wang'), displayName: 'Impostor' })).toBe(false);
    expect(await staff.count()).toBe(2);
    expect((await staff.list()).map((u) => u.username)).toEqual(['admin', 'wang']);
    expect(await staff.get('wang')).toEqual(user('wang'));
    expect(await staff.get('nobody')).toBeUndefined();
  });

  it('changes a password only for a known user', async () => {
    const { staff } = await open();
    await staff.create(user('li'));
    expect(await staff.setPassword('li', 'scrypt$new')).toBe(true);
    expect((await staff.get('li'))?.passwordHash).toBe('scrypt$new');
    expect(await staff.setPassword('nobody', 'scrypt$new')).toBe(false);
  });

  it('stores, reads and deletes sessions', async () => {
    const { sessions } = await open();
    await sessions.create(session('s1', '2026-11-26T20:00:00.000Z'));
    expect(await sessions.get('s1')).toEqual(session('s1', '2026-11-26T20:00:00.000Z'));
    await sessions.delete('s1');
    expect(await sessions.get('s1')).toBeUndefined();
    await sessions.delete('never-existed');
  });

  it('removes only the sessions that expired before now', async () => {
    const { sessions } = await open();
    await sessions.create(session('past', '2026-11-26T07:59:59.000Z'));
    await sessions.create(session('now', '2026-11-26T08:00:00.000Z'));
    await sessions.create(session('future', '2026-11-26T20:00:00.000Z'));
    expect(await sessions.deleteExpired('2026-11-26T08:00:00.000Z')).toBe(1);
    expect(await sessions.get('past')).toBeUndefined();
    expect(await sessions.get('now')).toBeDefined();
    expect(await sessions.get('future')).toBeDefined();
  });
});

describe.each([implementations[1]!, implementations[2]!])('console repositories durability: %s', (_name, create) => {
  let harness: Harness;
  afterEach(() => harness.dispose());

  it('keeps staff and sessions across a restart, so staff stay signed in', async () => {
    harness = await create();
    await harness.repos.staff.create(user('admin', 'admin'));
    await harness.repos.sessions.create(session('s1', '2026-11-26T20:00:00.000Z'));
    const after = await harness.restart!();
    expect(await after.staff.get('admin')).toEqual(user('admin', 'admin'));
    expect(await after.sessions.get('s1')).toEqual(session('s1', '2026-11-26T20:00:00.000Z'));
  });
});
