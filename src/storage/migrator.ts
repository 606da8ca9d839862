import type { Database } from 'better-sqlite3';
import type { Migration } from './migrations/migration.js';
import { StorageError } from './storage-error.js';

/** What `migrate()` did, for the start-up log. */
export interface MigrationReport {
  readonly from: number;
  readonly to: number;
  readonly applied: readonly string[];
}

/**
 * Brings the schema up to the last of `migrations`, each in its own transaction.
 * The version lives in SQLite's `user_version` (checked atomically with the schema) and every step is
 * also recorded in `schema_migrations` for people reading the file. Running it again is a no-op.
 */
export function migrate(db: Database, migrations: readonly Migration[]): MigrationReport {
  assertOrdered(migrations);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const from = currentVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  if (from > latest) {
    throw new StorageError(
      'STORAGE_SCHEMA_TOO_NEW',
      `migrate(): the database is at schema version ${from} but this build knows only up to ${latest}; run a newer build or restore a backup`,
    );
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const applied: string[] = [];
  for (const migration of migrations) {
    if (migration.version <= from) continue;
    // IMMEDIATE takes the write lock first, so two processes starting together cannot both apply a step.
    db.transaction(() => {
      if (currentVersion(db) >= migration.version) return;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
      db.pragma(`user_version = ${migration.version}`);
      applied.push(migration.name);
    }).immediate();
  }
  return { from, to: currentVersion(db), applied };
}

/** The schema version recorded in the file (0 for a new database). */
export function currentVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new StorageError(
        'STORAGE_MIGRATIONS_INVALID',
        `migrate(): migration "${migration.name}" has version ${migration.version}, expected ${index + 1} (versions must be consecutive from 1)`,
      );
    }
  });
}
