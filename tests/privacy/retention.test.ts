import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { RetentionJob } from '../../src/privacy/retention-job.js';
import { createMemoryStores } from '../../src/storage/create-memory-stores.js';
import { createSqliteStores } from '../../src/storage/create-sqlite-stores.js';
import { createPgStores } from '../../src/storage/postgres/create-pg-stores.js';
import type { Stores } from '../../src/storage/stores.js';
import { pgTestSchema } from '../storage/pg-test-schema.js';
import { daysAgo, seedConversation, SELLER_A, SELLER_B } from '../storage/seed-seller-data.js';
import { makeTempDataDir } from '../storage/temp-data-dir.js';

/** A logger whose JSON lines the test can read. */
function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

async function until<T>(probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('until(): timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const pg = pgTestSchema();
afterAll(() => pg.drop());

/** The stores a test seeds before the server starts, and the settings that make the server open the same data. */
const backends = {
  sqlite: (dir: string) => ({ open: async (): Promise<Stores> => createSqliteStores(dir, createLogger('silent')), env: {} }),
  postgres: (_dir: string) => ({
    open: (): Promise<Stores> => createPgStores({ connectionString: pg.connectionString, schema: pg.schema }, createLogger('silent')),
    env: { STORAGE: 'postgres', DATABASE_URL: pg.connectionString, DATABASE_SCHEMA: pg.schema },
  }),
};

describe('RETENTION_DAYS', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('is validated', () => {
    expect(parseConfig({}).RETENTION_DAYS).toBe(0);
    expect(parseConfig({ RETENTION_DAYS: '180' }).RETENTION_DAYS).toBe(180);
    expect(() => parseConfig({ RETENTION_DAYS: '-1' })).toThrow(/RETENTION_DAYS/);
    expect(() => parseConfig({ RETENTION_DAYS: '1.5' })).toThrow(/RETENTION_DAYS/);
    expect(() => parseConfig({ RETENTION_DAYS: 'forever' })).toThrow(/RETENTION_DAYS/);
    expect(parseConfig({ STORAGE: 'postgres', DATABASE_URL: 'postgres://db/bot', RETENTION_DAYS: '30' }).RETENTION_DAYS).toBe(30);
  });

  it.each(['sqlite', 'postgres'] as const)(
    'a server started with STORAGE=%s and RETENTION_DAYS=30 purges an old conversation at start-up, logs the counts, keeps a recent one',
    async (storage) => {
      const temp = makeTempDataDir('cxt-retention-');
      cleanups.push(() => temp.remove());
      const backend = backends[storage](temp.dir);
      const seed = await backend.open();
      await seedConversation(seed, SELLER_A);
      await seedConversation(seed, SELLER_B);
      await seed.close();

      const { logger, lines } = capturingLogger();
      const config = parseConfig({ DATA_DIR: temp.dir, RETENTION_DAYS: '30', PORT: '0', LOG_LEVEL: 'info', ...backend.env });
      const app: App = await buildApp(config, { logger });
      cleanups.push(() => app.close());
      const line = await until(() => lines.find((l) => typeof l.msg === 'string' && l.msg.startsWith('retention:')));
      expect(line).toMatchObject({ retentionDays: 30, conversations: 1, transcriptLines: 2, historyActivities: 2, recognitions: 1, callbacks: 1, ratings: 1, handoffRecords: 1 });
      // The log line gives counts, never the purged data itself.
      expect(JSON.stringify(line)).not.toContain(SELLER_A.id);
      expect(await app.stores.conversations.getConversation(SELLER_A.id)).toBeUndefined();
      expect(await app.stores.handoff.callbacks.list()).toEqual([expect.objectContaining({ conversationId: SELLER_B.id })]);
      expect(await app.stores.conversations.activitiesAfter(SELLER_B.id, 0)).toHaveLength(2);
    },
  );

  it('a server started without it purges nothing', async () => {
    const stores = createMemoryStores(createLogger('silent'));
    await seedConversation(stores, SELLER_A);
    const { logger, lines } = capturingLogger();
    expect(RetentionJob.start({ store: stores.sellerData, days: 0, logger })).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lines).toEqual([]);
    expect(await stores.conversations.getConversation(SELLER_A.id)).toBeDefined();
  });

  it('runs again periodically: a conversation that ages past the limit is purged by a later run', async () => {
    const stores = createMemoryStores(createLogger('silent'));
    await seedConversation(stores, SELLER_B);
    let now = new Date();
    const { logger, lines } = capturingLogger();
    const job = RetentionJob.start({ store: stores.sellerData, days: 30, logger, intervalMs: 30, now: () => now });
    cleanups.push(() => job?.stop());
    await until(() => (lines.length >= 1 ? true : undefined));
    expect(lines[0]).toMatchObject({ conversations: 0 });
    expect(await stores.conversations.getConversation(SELLER_B.id)).toBeDefined();

    now = new Date(daysAgo(0).getTime() + 31 * 86_400_000);
    const purged = await until(() => lines.find((l) => l.conversations === 1));
    expect(purged).toMatchObject({ transcriptLines: 2, historyActivities: 2, callbacks: 1 });
    expect(await stores.conversations.getConversation(SELLER_B.id)).toBeUndefined();
  });
});
