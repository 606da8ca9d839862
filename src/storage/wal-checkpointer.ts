import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the worker copies the WAL back into the database file. */
const DEFAULT_INTERVAL_MS = 200;
/** Longest wait in `stop()` for the worker to close its connection. */
const STOP_TIMEOUT_MS = 2000;

// Plain CommonJS run by the worker (eval), so it needs no TypeScript loader. Its own connection checkpoints in
// PASSIVE mode: it never blocks the server's writers, and the fsync of the database file happens on this thread.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 0');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const timer = setInterval(() => {
  try { checkpoint.get(); } catch (error) { parentPort.postMessage({ error: String(error && error.message || error) }); }
}, workerData.intervalMs);
const stopped = new Int32Array(workerData.stopped);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  try { db.close(); } finally {
    Atomics.store(stopped, 0, 1);
    Atomics.notify(stopped, 0);
    parentPort.close();
  }
});
`;

/** Options of {@link WalCheckpointer.start}. */
export interface WalCheckpointerOptions {
  /** Milliseconds between two checkpoints (default 200). */
  readonly intervalMs?: number;
  /** Called with the message of a failed checkpoint (the next one retries). */
  readonly onError?: (message: string) => void;
}

/**
 * Checkpoints a WAL-mode database from a worker thread.
 *
 * SQLite's automatic checkpoint runs inside the COMMIT that crosses the threshold, and with `synchronous = NORMAL`
 * it fsyncs the database file there: measured, that blocked the event loop for more time than all the turn's other
 * storage work together. The server's connection therefore turns it off (keeping a high threshold as a safety net,
 * see SqliteDatabase) and this worker checkpoints beside it. Commits stay durable against a crash of the process
 * either way: they are in the WAL before they return.
 */
export class WalCheckpointer {
  private constructor(
    private readonly worker: Worker,
    private readonly stopped: Int32Array,
  ) {}

  /** Starts the worker on the database file at `path`. */
  static start(path: string, options: WalCheckpointerOptions = {}): WalCheckpointer {
    const stopped = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        stopped: stopped.buffer,
        path,
        module: createRequire(import.meta.url).resolve('better-sqlite3'),
        intervalMs: options.intervalMs ?? DEFAULT_INTERVAL_MS,
      },
    });
    worker.on('message', (message: { error?: string }) => {
      if (message.error) options.onError?.(message.error);
    });
    worker.on('error', (error) => options.onError?.(error.message));
    // A worker that died has no connection left to wait for.
    worker.on('exit', () => Atomics.store(stopped, 0, 1));
    // Never keeps a process (the staff CLI, a test) alive.
    worker.unref();
    return new WalCheckpointer(worker, stopped);
  }

  /**
   * Closes the worker's connection, waiting for it (at most 2 s): once the server's connection closes too, the
   * data directory holds only the database file, and nothing touches it any more.
   */
  stop(): void {
    if (Atomics.load(this.stopped, 0) === 1) return;
    this.worker.postMessage('stop');
    Atomics.wait(this.stopped, 0, 0, STOP_TIMEOUT_MS);
  }
}
