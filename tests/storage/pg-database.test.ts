import { afterEach, describe, expect, it } from 'vitest';
import { PgDatabase } from '../../src/storage/postgres/pg-database.js';
import { PG_MIGRATIONS } from '../../src/storage/postgres/migrations/index.js';
import { PgStorage } from '../../src/storage/postgres/pg.storage.js';
import { pgTestSchema, type PgTestSchema } from './pg-test-schema.js';

describe('PgDatabase', () => {
  const opened: PgDatabase[] = [];
  let schema: PgTestSchema;
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((database) => database.close()));
    await schema.drop();
  });
  const open = async (options: { poolMax?: number; statementTimeoutMs?: number } = {}): Promise<PgDatabase> => {
    const database = await PgDatabase.open({ connectionString: schema.connectionString, schema: schema.schema, ...options });
    opened.push(database);
    return database;
  };

  it('migrates a new schema once when three instances start at the same time', async () => {
    schema = pgTestSchema();
    const databases = await Promise.all([open(), open(), open()]);
    const latest = PG_MIGRATIONS.at(-1)!.version;
    expect(databases.map((d) => d.migration.to)).toEqual([latest, latest, latest]);
    // One of them applied every step; the others waited on the advisory lock and found nothing left to do.
    expect(databases.map((d) => d.migration.applied.length).sort()).toEqual([0, 0, PG_MIGRATIONS.length]);
    const { rows } = await databases[0]!.pool.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((row) => row.version)).toEqual(PG_MIGRATIONS.map((m) => m.version));
    await expect(databases[2]!.pool.query('SELECT count(*) FROM conversation_index')).resolves.toBeDefined();
  });

  it('refuses a schema migrated by a newer build, with a stable code', async () => {
    schema = pgTestSchema();
    const database = await open();
    await database.pool.query("INSERT INTO schema_migrations (version, name) VALUES (99, 'storage.from_the_future')");
    await expect(open()).rejects.toMatchObject({ code: 'STORAGE_SCHEMA_TOO_NEW' });
  });

  it('refuses a schema name that is not a plain identifier', async () => {
    schema = pgTestSchema();
    await expect(
      PgDatabase.open({ connectionString: schema.connectionString, schema: 'x; DROP TABLE y' }),
    ).rejects.toMatchObject({ code: 'STORAGE_BAD_ARGUMENT' });
  });

  it('applies the statement time-out and the pool size it was given', async () => {
    schema = pgTestSchema();
    const database = await open({ statementTimeoutMs: 200, poolMax: 2 });
    await expect(database.pool.query('SELECT pg_sleep(2)')).rejects.toThrow(/statement timeout/);
    await Promise.all(Array.from({ length: 5 }, () => database.pool.query('SELECT pg_sleep(0.05)')));
    expect(database.pool.totalCount).toBeLessThanOrEqual(2);
  });
});

describe('PgStorage across instances', () => {
  let schema: PgTestSchema;
  const opened: PgDatabase[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((database) => database.close()));
    await schema.drop();
  });

  it('of two instances saving a turn with the same eTag, exactly one wins and the other gets a conflict', async () => {
    schema = pgTestSchema();
    for (let n = 0; n < 2; n++) {
      opened.push(await PgDatabase.open({ connectionString: schema.connectionString, schema: schema.schema }));
    }
    const [a, b] = opened.map((database) => new PgStorage(database.pool)) as [PgStorage, PgStorage];
    const keys = Array.from({ length: 10 }, (_, n) => `directline/conversations/c${n}`);
    await a.write(Object.fromEntries(keys.map((key) => [key, { turn: 0 }])));
    const results = await Promise.allSettled(
      keys.flatMap((key) => [a, b].map(async (storage, n) => {
        const { [key]: item } = await storage.read([key]);
        await storage.write({ [key]: { ...item, turn: 1, by: n } });
      })),
    );
    for (let k = 0; k < keys.length; k++) {
      const pair = results.slice(k * 2, k * 2 + 2);
      const won = pair.filter((r) => r.status === 'fulfilled');
      const lost = pair.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      // Both may also read after the first write (then the second wins alone): never both, never neither.
      expect(won).toHaveLength(lost.length === 0 ? 2 : 1);
      for (const failure of lost) expect(failure.reason).toMatchObject({ code: 'STORAGE_ETAG_CONFLICT' });
    }
    // At least some pairs really raced (both read before either wrote), or the test proves nothing.
    expect(results.filter((r) => r.status === 'rejected').length).toBeGreaterThan(0);
  });
});
