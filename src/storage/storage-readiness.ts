import type { Database } from 'better-sqlite3';
import { currentVersion } from './migrator.js';

/** Whether the stores can serve traffic, for `/readyz`; `problems` say why not, for operators. */
export interface StorageReadiness {
  readonly ready: boolean;
  readonly problems: readonly string[];
}

/**
 * Checks that the connection is open and answers a query, and that the file's schema is at the version this
 * build migrates to (a file changed under a running server, or a failed migration, is not ready).
 */
export function checkSqliteReadiness(db: Database, expectedVersion: number): StorageReadiness {
  if (!db.open) return { ready: false, problems: ['storage: the database connection is closed'] };
  try {
    db.prepare('SELECT 1').get();
    const version = currentVersion(db);
    if (version !== expectedVersion) {
      return { ready: false, problems: [`migrations: schema version ${version}, this build expects ${expectedVersion}`] };
    }
    return { ready: true, problems: [] };
  } catch (error) {
    return { ready: false, problems: [`storage: ${(error as Error).message}`] };
  }
}
