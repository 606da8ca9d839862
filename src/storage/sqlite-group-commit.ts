import type { Database, Statement } from 'better-sqlite3';

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

// One scheduler per connection: every store on a connection must share it, because any write made while the
// batch transaction is open joins that transaction, whichever store made it.
const byConnection = new WeakMap<Database, SqliteGroupCommit>();

/**
 * Group commit for one better-sqlite3 connection. Writes made in the same turn of the event loop (by every
 * concurrent conversation) go into one transaction, committed at the next `setImmediate`: a turn used to make
 * 8 to 10 commits, each writing its modified pages to the WAL again; now the pages are written once per batch.
 *
 * Durability is unchanged for callers that wait: a store calls {@link join} before it writes and, for an async
 * method, resolves only after {@link durable} (the batch holding its write has committed). Synchronous callers
 * (the Direct Line history) call {@link durable} themselves before they acknowledge or show what they wrote.
 * better-sqlite3 transaction functions run inside the batch as savepoints, so their all-or-nothing stays.
 * Nothing is acknowledged before its commit: a crash loses only writes nobody was told about.
 */
export class SqliteGroupCommit {
  private readonly begin: Statement;
  private readonly commit: Statement;
  private readonly rollback: Statement;
  private waiters: Waiter[] = [];
  private open = false;
  private lost = false;
  private scheduled: NodeJS.Immediate | undefined;
  private readonly rollbackListeners = new Set<() => void>();
  private readonly commitListeners = new Set<(seconds: number) => void>();

  private constructor(private readonly db: Database) {
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.commit = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');
  }

  /** The scheduler of `db` (made on first use). */
  static for(db: Database): SqliteGroupCommit {
    let found = byConnection.get(db);
    if (!found) {
      found = new SqliteGroupCommit(db);
      byConnection.set(db, found);
    }
    return found;
  }

  /**
   * Call before a write: opens the batch transaction when none is open. Inside a transaction someone else opened
   * (a migration, a `db.transaction()` function) the write simply belongs to that one.
   */
  join(): void {
    if (this.open) {
      if (this.db.inTransaction) return;
      // SQLite rolled the batch back by itself (disk full, I/O error): its writes are gone, fail them at flush.
      this.lost = true;
      this.begin.run();
      return;
    }
    if (this.db.inTransaction) return;
    this.begin.run();
    this.open = true;
    this.scheduled = setImmediate(() => this.flush());
  }

  /** Resolves once every write made so far has committed; rejects when its batch could not commit. */
  durable(): Promise<void> {
    if (!this.open) return Promise.resolve();
    return new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Registers a callback run after a batch was rolled back (stores drop what they cached about it). */
  onRollback(listener: () => void): () => void {
    this.rollbackListeners.add(listener);
    return () => this.rollbackListeners.delete(listener);
  }

  /** Registers a callback given the duration (seconds) of each successful batch COMMIT (metrics). */
  onCommit(listener: (seconds: number) => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  /**
   * Commits the open batch now (a caller that must answer synchronously; before the connection closes).
   * @throws the commit's error, after the batch was rolled back and its waiters rejected.
   */
  commitNow(): void {
    const error = this.flush();
    if (error !== undefined) throw error;
  }

  /** Commits the open batch; returns the error when it had to be rolled back. */
  private flush(): unknown {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    if (!this.open) return undefined;
    this.open = false;
    const waiters = this.waiters;
    this.waiters = [];
    const lost = this.lost || !this.db.inTransaction;
    this.lost = false;
    const started = process.hrtime.bigint();
    try {
      if (this.db.inTransaction) this.commit.run();
      if (lost) throw new Error('SqliteGroupCommit.flush(): SQLite rolled the batch back; its writes were not saved');
    } catch (error) {
      if (this.db.inTransaction) this.rollback.run();
      for (const listener of this.rollbackListeners) listener();
      for (const waiter of waiters) waiter.reject(error);
      return error;
    }
    if (this.commitListeners.size > 0) {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      for (const listener of this.commitListeners) listener(seconds);
    }
    for (const waiter of waiters) waiter.resolve();
    return undefined;
  }
}
