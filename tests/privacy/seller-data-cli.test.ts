import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTranslator } from '../../src/i18n/create-i18n.js';
import { loadLocaleResources } from '../../src/i18n/load-locales.js';
import { createLogger } from '../../src/logger.js';
import { runSellerDataCommand } from '../../src/privacy/seller-data-command.js';
import { createMemoryStores } from '../../src/storage/create-memory-stores.js';
import { createSqliteStores } from '../../src/storage/create-sqlite-stores.js';
import { createPgStores } from '../../src/storage/postgres/create-pg-stores.js';
import { runCli } from '../durability/run-cli.js';
import { pgTestSchema } from '../storage/pg-test-schema.js';
import { seedConversation, SELLER_A, SELLER_B } from '../storage/seed-seller-data.js';
import { makeTempDataDir } from '../storage/temp-data-dir.js';

/** `npm run seller-data` as a real process on a real DATA_DIR. */
describe('npm run seller-data', () => {
  const temp = makeTempDataDir('cxt-seller-cli-');
  const env = { DATA_DIR: temp.dir, DEFAULT_LOCALE: 'en', LOG_LEVEL: 'info' };
  beforeAll(async () => {
    const stores = createSqliteStores(temp.dir, createLogger('silent'));
    await seedConversation(stores, SELLER_A);
    await seedConversation(stores, SELLER_B);
    stores.close();
  });
  afterAll(() => temp.remove());

  const auditLines = (stderr: string) =>
    stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.audit !== undefined);

  it('prints the usage for a malformed command (exit 64), without touching the data', async () => {
    // In-process: the argument check is the same code the process runs, without a process start per case.
    const t = createTranslator(loadLocaleResources(join(import.meta.dirname, '../../locales'))).forLocale('en');
    const stores = createMemoryStores(createLogger('silent'));
    await seedConversation(stores, SELLER_A);
    for (const args of [[], ['export'], ['export', '--conversation', 'a', '--user', 'b'], ['purge', '--user', 'x'], ['delete', '--user', SELLER_A.user, '--out', 'f'], ['delete', '--user', ' ']]) {
      const errors: string[] = [];
      const code = await runSellerDataCommand(args, {
        store: stores.sellerData,
        io: { out: () => undefined, err: (line) => errors.push(line) },
        t,
        logger: createLogger('silent'),
        actor: 'test',
      });
      expect(code, args.join(' ')).toBe(64);
      expect(errors.join('\n')).toMatch(/Usage: npm run seller-data/);
    }
    expect(await stores.conversations.getConversation(SELLER_A.id)).toBeDefined();
  });

  it('exports one seller by user id as JSON on stdout, or into --out (mode 0600), audited on stderr', { timeout: 180_000 }, async () => {
    const printed = await runCli('seller-data', ['export', '--user', SELLER_A.user], env);
    expect(printed.code).toBe(0);
    const data = JSON.parse(printed.stdout) as { conversations: Array<{ conversationId: string; callbacks: Array<{ phone: string }> }> };
    expect(data.conversations.map((c) => c.conversationId)).toEqual([SELLER_A.id]);
    expect(data.conversations[0]?.callbacks[0]?.phone).toBe(SELLER_A.phone);
    expect(printed.stdout).not.toContain(SELLER_B.phone);
    expect(auditLines(printed.stderr)).toEqual([expect.objectContaining({ audit: 'seller_data.export', selector: 'user', userId: SELLER_A.user, conversations: 1 })]);
    expect(String(auditLines(printed.stderr)[0]?.actor)).toMatch(/^cli:/);

    const file = join(temp.dir, 'export-a.json');
    const written = await runCli('seller-data', ['export', '--conversation', SELLER_A.id, '--out', file], env);
    expect(written.code).toBe(0);
    expect(written.stderr).toMatch(/Exported 1 conversation\(s\)/);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ selector: { conversationId: SELLER_A.id } });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('deletes one conversation (exit 0, counts), then finds nothing (exit 1); the other seller stays', { timeout: 180_000 }, async () => {
    const deleted = await runCli('seller-data', ['delete', '--conversation', SELLER_A.id], env);
    expect(deleted.code).toBe(0);
    expect(deleted.stderr).toMatch(/Deleted 1 conversation\(s\): 2 transcript lines, 2 history activities, 1 recognitions, 1 callback requests/);
    const audit = auditLines(deleted.stderr);
    expect(audit).toEqual([expect.objectContaining({ audit: 'seller_data.erase', conversationId: SELLER_A.id, callbacks: 1 })]);
    expect(deleted.stderr).not.toContain(SELLER_A.phone);

    const missing = await runCli('seller-data', ['export', '--conversation', SELLER_A.id], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/Nothing is stored/);

    const stores = createSqliteStores(temp.dir, createLogger('silent'), { recoverTranscripts: false });
    try {
      expect(await stores.conversations.getConversation(SELLER_A.id)).toBeUndefined();
      expect((await stores.handoff.callbacks.list()).map((c) => c.conversationId)).toEqual([SELLER_B.id]);
      expect(await stores.conversations.activitiesAfter(SELLER_B.id, 0)).toHaveLength(2);
    } finally {
      stores.close();
    }
  });
});

/** The same command with STORAGE=postgres, on a schema of its own. */
describe('npm run seller-data (STORAGE=postgres)', () => {
  const pg = pgTestSchema();
  const env = { STORAGE: 'postgres', DATABASE_URL: pg.connectionString, DATABASE_SCHEMA: pg.schema, DEFAULT_LOCALE: 'en', LOG_LEVEL: 'info' };
  const open = () => createPgStores({ connectionString: pg.connectionString, schema: pg.schema, recoverTranscripts: false }, createLogger('silent'));
  beforeAll(async () => {
    const stores = await open();
    await seedConversation(stores, SELLER_A);
    await seedConversation(stores, SELLER_B);
    await stores.close();
  });
  afterAll(() => pg.drop());

  it('exports one seller by user id, deletes them (counts), then finds nothing; the other seller stays', { timeout: 180_000 }, async () => {
    const exported = await runCli('seller-data', ['export', '--user', SELLER_A.user], env);
    expect(exported.code, exported.stderr).toBe(0);
    const data = JSON.parse(exported.stdout) as { conversations: Array<{ conversationId: string; history: Array<{ id: string; text: string }> }> };
    expect(data.conversations.map((c) => c.conversationId)).toEqual([SELLER_A.id]);
    expect(data.conversations[0]?.history.map((a) => a.text)).toEqual([SELLER_A.text, '诚信通和速卖通没有系统绑定']);
    expect(exported.stdout).not.toContain(SELLER_B.phone);

    const deleted = await runCli('seller-data', ['delete', '--user', SELLER_A.user], env);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stderr).toMatch(/Deleted 1 conversation\(s\): 2 transcript lines, 2 history activities, 1 recognitions, 1 callback requests/);

    const missing = await runCli('seller-data', ['export', '--conversation', SELLER_A.id], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/Nothing is stored/);

    const stores = await open();
    try {
      expect(await stores.conversations.getConversation(SELLER_A.id)).toBeUndefined();
      expect(await stores.storage.read([`directline/users/${SELLER_A.user}/UserState`])).toEqual({});
      expect((await stores.handoff.callbacks.list()).map((c) => c.conversationId)).toEqual([SELLER_B.id]);
      expect(await stores.conversations.activitiesAfter(SELLER_B.id, 0)).toHaveLength(2);
    } finally {
      await stores.close();
    }
  });
});
