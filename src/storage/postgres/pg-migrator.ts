import type pg from 'pg';
import type { Migration } from '../migrations/migration.js';
import { StorageError } from '../storage-error.js';
import { inTransaction } from './pg-transaction.js';

/** What {@link migratePg} did, for the start-up log. */
export interface PgMigrationReport {
  readonly from: number;
  readonly to: number;
  readonly applied: readonly string[];
}

/**
 * One key for the whole database, not per schema: the first migration installs `pg_trgm`, which is
 * database-wide, so instances (and test files) migrating different schemas at once must also take turns.
 */
const MIGRATION_LOCK = "hashtext('cxt-bot.schema-migrations')";

/**
 * Brings `schema` up to the last of `migrations` in ONE transaction under a transaction-level advisory lock:
 * several instances starting together queue on the lock, and each later one finds the work done. The applied
 * versions are rows of `<schema>.schema_migrations`; a failed step rolls every step of this run back.
 */
export async function migratePg(pool: pg.Pool, schema: string, migrations: readonly Migration[]): Promise<PgMigrationReport> {
  assertOrdered(migrations);
  return inTransaction(pool, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    // The migrations name tables without a schema; the connection's search_path may predate the schema.
    await client.query(`SET LOCAL search_path TO ${schema}, public`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (
      version    integer PRIMARY KEY,
      name       text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: number | null }>(
      `SELECT max(version) AS version FROM ${schema}.schema_migrations`,
    );
    const from = rows[0]?.version ?? 0;
    const latest = migrations.at(-1)?.version ?? 0;
    if (from > latest) {
      throw new StorageError(
        'STORAGE_SCHEMA_TOO_NEW',
        `migratePg(): schema "${schema}" is at version ${from} but this build knows only up to ${latest}; run a newer build or restore a backup`,
      );
    }
    const applied: string[] = [];
    for (const migration of migrations) {
      if (migration.version <= from) continue;
      await client.query(migration.sql);
      await client.query(`INSERT INTO ${schema}.schema_migrations (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
      applied.push(migration.name);
    }
    return { from, to: Math.max(from, latest), applied };
  });
}

function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new StorageError(
        'STORAGE_MIGRATIONS_INVALID',
        `migratePg(): migration "${migration.name}" has version ${migration.version}, expected ${index + 1} (versions must be consecutive from 1)`,
      );
    }
  });
}
