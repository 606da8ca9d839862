import type { Storage, StoreItems } from 'botbuilder';
import { randomUUID } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import { SqliteGroupCommit } from './sqlite-group-commit.js';
import { StorageError } from './storage-error.js';

interface StateRow {
  key: string;
  etag: string;
  value: string;
}

/**
 * botbuilder `Storage` (ConversationState, UserState) in the `state_items` table, with the same eTag
 * rules as botbuilder's MemoryStorage: a missing or `'*'` eTag writes unconditionally, a new key is
 * always written, and an eTag that no longer matches the stored one is a conflict.
 * Unlike MemoryStorage, a write is atomic: on a conflict no key of the batch is written.
 */
export class SqliteStorage implements Storage {
  private readonly select: Statement<[string], StateRow>;
  private readonly upsert: Statement<[string, string, string, string]>;
  private readonly remove: Statement<[string]>;
  private readonly commits: SqliteGroupCommit;

  constructor(db: Database) {
    this.commits = SqliteGroupCommit.for(db);
    this.select = db.prepare('SELECT key, etag, value FROM state_items WHERE key = ?');
    this.upsert = db.prepare(
      `INSERT INTO state_items (key, etag, value, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET etag = excluded.etag, value = excluded.value, updated_at = excluded.updated_at`,
    );
    this.remove = db.prepare('DELETE FROM state_items WHERE key = ?');
  }

  /** Reads the items that exist; missing keys are absent from the result. */
  async read(keys: string[]): Promise<StoreItems> {
    if (!Array.isArray(keys)) throw new StorageError('STORAGE_BAD_ARGUMENT', 'SqliteStorage.read(): keys are required');
    const items: StoreItems = {};
    for (const key of keys) {
      const row = this.select.get(key);
      if (row) items[key] = { ...(JSON.parse(row.value) as object), eTag: row.etag };
    }
    return items;
  }

  /** Writes every item in one transaction; throws `STORAGE_ETAG_CONFLICT` (writing nothing) on a stale eTag. */
  async write(changes: StoreItems): Promise<void> {
    if (!changes || typeof changes !== 'object') {
      throw new StorageError('STORAGE_BAD_ARGUMENT', 'SqliteStorage.write(): changes are required');
    }
    const now = new Date().toISOString();
    // The batch transaction holds the write lock from here on, so every eTag is checked before anything is
    // written (all or nothing without a savepoint of its own).
    this.commits.join();
    const entries = Object.entries(changes);
    for (const [key, item] of entries) {
      const eTag = (item as { eTag?: unknown } | null | undefined)?.eTag;
      if (eTag !== undefined && eTag !== null && eTag !== '' && eTag !== '*') {
        const stored = this.select.get(key);
        if (stored && stored.etag !== eTag) {
          throw new StorageError('STORAGE_ETAG_CONFLICT', `Storage: error writing "${key}" due to eTag conflict.`);
        }
      }
    }
    for (const [key, item] of entries) {
      const { eTag: _eTag, ...value } = (item ?? {}) as { eTag?: unknown; [field: string]: unknown };
      this.upsert.run(key, randomUUID(), JSON.stringify(value), now);
    }
    await this.commits.durable();
  }

  /** Deletes the keys; unknown keys are ignored. */
  async delete(keys: string[]): Promise<void> {
    if (!Array.isArray(keys)) throw new StorageError('STORAGE_BAD_ARGUMENT', 'SqliteStorage.delete(): keys are required');
    this.commits.join();
    for (const key of keys) this.remove.run(key);
    await this.commits.durable();
  }
}
