import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { afterAll, inject } from 'vitest';
import { PgDatabase } from '../../src/storage/postgres/pg-database.js';

/** A schema of its own in the test PostgreSQL (see tests/setup/postgres.global-setup.ts), and its removal. */
export interface PgTestSchema {
  readonly connectionString: string;
  readonly schema: string;
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
}

/**
 * A fresh, unique schema name per call, so that test files running in parallel (and tests within a file) never
 * see each other's rows. The stores create the schema when they migrate it.
 */
export function pgTestSchema(): PgTestSchema {
  const connectionString = inject('databaseUrl');
  const schema = `test_${process.pid}_${randomBytes(4).toString('hex')}`;
  return {
    connectionString,
    schema,
    drop: async () => {
      const client = new pg.Client({ connectionString });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A migrated database on the file's schema, emptied for this test, reopened like a restarted instance. */
export interface PgTestDatabase {
  readonly database: PgDatabase;
  /** Closes the pool and opens a new one on the same schema (what a restart does). */
  reopen(): Promise<PgDatabase>;
  /** Another pool on the same schema: a second instance. Closed by `dispose`. */
  another(): Promise<PgDatabase>;
  dispose(): Promise<void>;
}

/**
 * Call at the top of a test file: the file gets one schema (migrated on first use, dropped after the file), and
 * `open()` gives each test an empty one (every table truncated), which is much cheaper than a schema per test.
 */
export function pgTestFileSchema(): { open(): Promise<PgTestDatabase> } {
  const test = pgTestSchema();
  let used = false;
  afterAll(() => test.drop());
  const connect = () => PgDatabase.open({ connectionString: test.connectionString, schema: test.schema, poolMax: 4 });
  return {
    open: async () => {
      let database = await connect();
      if (used) await truncateAll(database);
      used = true;
      const others: PgDatabase[] = [];
      return {
        get database() {
          return database;
        },
        reopen: async () => {
          await database.close();
          database = await connect();
          return database;
        },
        another: async () => {
          const other = await connect();
          others.push(other);
          return other;
        },
        dispose: async () => {
          await Promise.all([database, ...others].map((each) => each.close()));
        },
      };
    },
  };
}

/** Empties every table of the database's schema but the migration record (a test's fresh start). */
export async function truncateAll(database: PgDatabase): Promise<void> {
  const { rows } = await database.pool.query<{ name: string }>(
    "SELECT tablename AS name FROM pg_tables WHERE schemaname = $1 AND tablename <> 'schema_migrations'",
    [database.schema],
  );
  // DELETE, not TRUNCATE: a test's few rows go at once, while TRUNCATE replaces every table's files (~250 ms here).
  if (rows.length > 0) await database.pool.query(rows.map((row) => `DELETE FROM ${row.name};`).join(' '));
}
