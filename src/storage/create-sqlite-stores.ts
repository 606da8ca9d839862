import { SyncStoreAdapter } from '../channels/directline/sync-store-adapter.js';
import type { Logger } from '../logger.js';
import { reconcileDirectLineTranscripts, type ReconcileReport } from './directline-transcript-reconciler.js';
import { DurableTranscriptLoggerMiddleware } from './durable-transcript-logger.middleware.js';
import { SqliteCallbackRepository } from './sqlite-callback.repository.js';
import { SqliteConsoleSessionRepository } from './sqlite-console-session.repository.js';
import { SqliteConversationIndex } from './sqlite-conversation-index.repository.js';
import { SqliteConversationStore } from './sqlite-conversation.store.js';
import { SqliteDatabase, type SqliteDatabaseOptions } from './sqlite-database.js';
import { SqliteSellerData } from './sqlite-seller-data.js';
import { SqliteGroupCommit } from './sqlite-group-commit.js';
import { MIGRATIONS } from './migrations/index.js';
import { memoryRateLimits } from './rate-limits.js';
import { checkSqliteReadiness } from './storage-readiness.js';
import { SqliteRatingRepository } from './sqlite-rating.repository.js';
import { SqliteRecognitionLog } from './sqlite-recognition-log.repository.js';
import { SqliteStaffUserRepository } from './sqlite-staff-user.repository.js';
import { SqliteTranscriptStore } from './sqlite-transcript.store.js';
import { SqliteStorage } from './sqlite.storage.js';
import type { Stores } from './stores.js';

/** SQLite-backed stores plus the open database (for tests and tools). */
export interface SqliteStores extends Stores {
  readonly database: SqliteDatabase;
}

/** Options of {@link createSqliteStores}. */
export interface SqliteStoresOptions extends Omit<SqliteDatabaseOptions, 'logger'> {
  /**
   * Complete the transcript from the Direct Line history at open (default true). Tools that open the database
   * beside a running server (the `staff` CLI) pass false: the server's pending turns are not a crash.
   */
  readonly recoverTranscripts?: boolean;
}

/**
 * Opens (creating when needed) `<dataDir>/bot.sqlite`, migrates it, completes the transcript after an unclean
 * stop (see reconcileDirectLineTranscripts), and builds every store on that one connection.
 * better-sqlite3 serialises all statements of a connection, so the stores need no locking.
 */
export function createSqliteStores(dataDir: string, logger: Logger, options: SqliteStoresOptions = {}): SqliteStores {
  const { recoverTranscripts = true, ...databaseOptions } = options;
  const database = SqliteDatabase.open(dataDir, { backgroundCheckpoint: true, ...databaseOptions, logger });
  const { db } = database;
  const transcripts = new SqliteTranscriptStore(db);
  let recovered: ReconcileReport = { backfilled: 0, unanswered: [] };
  if (recoverTranscripts) {
    try {
      recovered = reconcileDirectLineTranscripts(db, transcripts, logger);
    } catch (error) {
      // A repair that fails must not keep every seller out: serve without it and say so.
      logger.error({ err: error }, 'createSqliteStores(): transcript reconciliation failed; starting without it');
    }
  }
  if (recovered.backfilled > 0) {
    logger.warn(
      { backfilled: recovered.backfilled, unanswered: recovered.unanswered.length },
      'createSqliteStores(): completed the transcript from the Direct Line history after an unclean stop',
    );
  }
  return {
    database,
    storage: new SqliteStorage(db),
    transcripts,
    transcriptMiddleware: new DurableTranscriptLoggerMiddleware(transcripts, logger),
    conversations: new SyncStoreAdapter(new SqliteConversationStore(db)),
    handoff: {
      conversations: new SqliteConversationIndex(db),
      recognitions: new SqliteRecognitionLog(db),
      callbacks: new SqliteCallbackRepository(db),
      ratings: new SqliteRatingRepository(db),
      transcriptSearch: transcripts,
    },
    console: {
      staff: new SqliteStaffUserRepository(db),
      sessions: new SqliteConsoleSessionRepository(db),
    },
    sellerData: new SqliteSellerData(db),
    // One instance owns a SQLite file, so its limits can stay in its memory.
    limits: memoryRateLimits(),
    recovered,
    readiness: () => checkSqliteReadiness(db, (databaseOptions.migrations ?? MIGRATIONS).at(-1)?.version ?? 0),
    onCommit: (listener) => SqliteGroupCommit.for(db).onCommit(listener),
    close: () => database.close(),
  };
}
