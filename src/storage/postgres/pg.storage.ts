import type { Storage, StoreItems } from 'botbuilder';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { StorageError } from '../storage-error.js';
import { inTransaction } from './pg-transaction.js';

/**
 * Inserts a new key, or replaces the stored item when `$4` (the caller's eTag) is null or still the stored one.
 * ON CONFLICT locks the row and evaluates the WHERE on its latest version, so of two writers holding the same
 * eTag (two instances running turns of one conversation) exactly one succeeds.
 */
const WRITE = `INSERT INTO state_items (key, etag, value, updated_at) VALUES ($1, $2, $3, now())
  ON CONFLICT (key) DO UPDATE SET etag = excluded.etag, value = excluded.value, updated_at = excluded.updated_at
  WHERE $4::text IS NULL OR state_items.etag = $4::text`;

type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

/**
 * botbuilder `Storage` (ConversationState, UserState) in the `state_items` table, with the same eTag rules as
 * botbuilder's MemoryStorage and SqliteStorage: a missing or `'*'` eTag writes unconditionally, a new key is
 * always written, and an eTag that no longer matches the stored one is a conflict. A batch is atomic.
 */
export class PgStorage implements Storage {
  constructor(private readonly pool: pg.Pool) {}

  /** Reads the items that exist; missing keys are absent from the result. */
  async read(keys: string[]): Promise<StoreItems> {
    if (!Array.isArray(keys)) throw new StorageError('STORAGE_BAD_ARGUMENT', 'PgStorage.read(): keys are required');
    const items: StoreItems = {};
    if (keys.length === 0) return items;
    const { rows } = await this.pool.query<{ key: string; etag: string; value: string }>(
      'SELECT key, etag, value FROM state_items WHERE key = ANY($1::text[])',
      [keys],
    );
    for (const row of rows) items[row.key] = { ...(JSON.parse(row.value) as object), eTag: row.etag };
    return items;
  }

  /** Writes every item; throws `STORAGE_ETAG_CONFLICT` (writing nothing) on a stale eTag. */
  async write(changes: StoreItems): Promise<void> {
    if (!changes || typeof changes !== 'object') {
      throw new StorageError('STORAGE_BAD_ARGUMENT', 'PgStorage.write(): changes are required');
    }
    const entries = Object.entries(changes);
    if (entries.length === 0) return;
    // One item (the usual turn) is one statement; a batch needs a transaction to be all or nothing.
    if (entries.length === 1) return writeOne(this.pool, entries[0]!);
    await inTransaction(this.pool, async (client) => {
      for (const entry of entries) await writeOne(client, entry);
    });
  }

  /** Deletes the keys; unknown keys are ignored. */
  async delete(keys: string[]): Promise<void> {
    if (!Array.isArray(keys)) throw new StorageError('STORAGE_BAD_ARGUMENT', 'PgStorage.delete(): keys are required');
    if (keys.length === 0) return;
    await this.pool.query('DELETE FROM state_items WHERE key = ANY($1::text[])', [keys]);
  }
}

async function writeOne(db: Queryable, [key, item]: [string, unknown]): Promise<void> {
  const { eTag, ...value } = (item ?? {}) as { eTag?: unknown; [field: string]: unknown };
  const expected = eTag === undefined || eTag === null || eTag === '' || eTag === '*' ? null : String(eTag);
  const result = await db.query(WRITE, [key, randomUUID(), JSON.stringify(value), expected]);
  if (result.rowCount === 0) {
    throw new StorageError('STORAGE_ETAG_CONFLICT', `Storage: error writing "${key}" due to eTag conflict.`);
  }
}
