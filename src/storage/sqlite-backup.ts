import BetterSqlite3, { type Database } from 'better-sqlite3';
import { copyFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { MIGRATIONS } from './migrations/index.js';
import { DATABASE_FILE_NAME } from './sqlite-database.js';

/** Why a backup or a restore refused to run; `code` picks the operator's message. */
export class BackupError extends Error {
  constructor(
    readonly code: 'NO_DATABASE' | 'TARGET_EXISTS' | 'NO_DIRECTORY' | 'SERVER_RUNNING' | 'NOT_A_BACKUP',
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'BackupError';
  }
}

/** What a finished backup holds. */
export interface BackupReport {
  readonly path: string;
  readonly bytes: number;
  readonly pages: number;
  /** Schema version (migrations applied) of the copy. */
  readonly schemaVersion: number;
  readonly milliseconds: number;
}

/** What a restore did. */
export interface RestoreReport {
  readonly path: string;
  readonly schemaVersion: number;
  /** Where the database that was replaced now lies (undefined when DATA_DIR had none). */
  readonly previous: string | undefined;
}

const SIDE_FILES = ['-wal', '-shm'] as const;

/** The database file of `dataDir`. */
export function databasePath(dataDir: string): string {
  return join(resolve(dataDir), DATABASE_FILE_NAME);
}

/**
 * Consistent copy of DATA_DIR's database while a server may be writing to it, with SQLite's online backup from
 * this (separate) connection. All pages are copied in one step, inside one read transaction: the copy is the
 * database as of one commit, holding every write committed (every message acknowledged) before the backup
 * started; the server keeps writing meanwhile (WAL readers do not block writers). The copy is checked
 * (`quick_check`) before it takes its final name, so a file at `target` is always a complete backup.
 */
export async function backupDatabase(dataDir: string, target: string): Promise<BackupReport> {
  const source = databasePath(dataDir);
  const destination = resolve(target);
  if (!existsSync(source)) throw new BackupError('NO_DATABASE', source, `backupDatabase(): no database at ${source}`);
  if (existsSync(destination)) throw new BackupError('TARGET_EXISTS', destination, `backupDatabase(): ${destination} exists`);
  if (!existsSync(dirname(destination))) throw new BackupError('NO_DIRECTORY', dirname(destination), `backupDatabase(): no directory ${dirname(destination)}`);
  const partial = `${destination}.partial`;
  rmSync(partial, { force: true });
  const started = performance.now();
  const db = new BetterSqlite3(source, { fileMustExist: true });
  let pages: number;
  try {
    db.pragma('busy_timeout = 5000');
    ({ totalPages: pages } = await db.backup(partial, { progress: () => 0x7fffffff }));
  } finally {
    db.close();
  }
  try {
    // A self-contained file: the copy carries the source's WAL flag, which would need -wal and -shm beside it.
    const copy = new BetterSqlite3(partial, { fileMustExist: true });
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    const schemaVersion = verifyBackup(partial);
    renameSync(partial, destination);
    return { path: destination, bytes: statSync(destination).size, pages, schemaVersion, milliseconds: Math.round(performance.now() - started) };
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

/**
 * True while another process (a running server, the WAL checkpointer) has DATA_DIR's database open: taking an
 * exclusive lock fails then. A server that was killed holds nothing, so a restore after a crash may proceed.
 */
export function isDatabaseInUse(dataDir: string): boolean {
  const path = databasePath(dataDir);
  if (!existsSync(path)) return false;
  const db = new BetterSqlite3(path, { fileMustExist: true, timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    return false;
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return true;
    throw error;
  } finally {
    db.close();
  }
}

/**
 * Replaces DATA_DIR's database with `backupFile` (after checking it is a complete database of a known schema).
 * Refuses while a server has the database open. The replaced database (and its WAL) is kept beside it as
 * `bot.sqlite.before-restore-<time>`; the next start migrates the restored copy if it is older.
 */
export function restoreDatabase(dataDir: string, backupFile: string, now = new Date()): RestoreReport {
  const source = resolve(backupFile);
  const target = databasePath(dataDir);
  if (!existsSync(source)) throw new BackupError('NOT_A_BACKUP', source, `restoreDatabase(): ${source} does not exist`);
  const schemaVersion = verifyBackup(source);
  if (!existsSync(dirname(target))) throw new BackupError('NO_DIRECTORY', dirname(target), `restoreDatabase(): no directory ${dirname(target)}`);
  if (isDatabaseInUse(dataDir)) throw new BackupError('SERVER_RUNNING', target, `restoreDatabase(): ${target} is open in another process`);
  let previous: string | undefined;
  if (existsSync(target)) {
    previous = `${target}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`;
    renameSync(target, previous);
    for (const suffix of SIDE_FILES) if (existsSync(target + suffix)) renameSync(target + suffix, previous + suffix);
  }
  const partial = `${target}.restoring`;
  copyFileSync(source, partial);
  renameSync(partial, target);
  return { path: target, schemaVersion, previous };
}

/** Opens `path` read-only and checks it is a sound database of this product; returns its schema version. */
function verifyBackup(path: string): number {
  let db: Database | undefined;
  try {
    db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
    const check = db.pragma('quick_check', { simple: true });
    const version = Number(db.pragma('user_version', { simple: true }));
    const hasState = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'state_items'").get() !== undefined;
    if (check !== 'ok' || !hasState || version < 1 || version > MIGRATIONS.length) {
      throw new BackupError('NOT_A_BACKUP', path, `verifyBackup(): ${path} is not a sound database of this product (${String(check)}, schema ${version})`);
    }
    return version;
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError('NOT_A_BACKUP', path, `verifyBackup(): ${path}: ${(error as Error).message}`);
  } finally {
    db?.close();
  }
}
