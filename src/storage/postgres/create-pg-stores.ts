import { UnsupportedSellerData } from '../../privacy/seller-data.js';
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { ReconcileReport } from '../directline-transcript-reconciler.js';
import { DurableTranscriptLoggerMiddleware } from '../durable-transcript-logger.middleware.js';
import { SqliteConversationStore } from '../sqlite-conversation.store.js';
import { SqliteDatabase } from '../sqlite-database.js';
import { SqliteGroupCommit } from '../sqlite-group-commit.js';
import { checkSqliteReadiness } from '../storage-readiness.js';
import { MIGRATIONS } from '../migrations/index.js';
import { StorageError } from '../storage-error.js';
import type { Stores } from '../stores.js';
import { PgCallbackRepository } from './pg-callback.repository.js';
import { PgConsoleSessionRepository } from './pg-console-session.repository.js';
import { PgConversationIndex } from './pg-conversation-index.repository.js';
import { PgDatabase, type PgDatabaseOptions } from './pg-database.js';
import { PgRateLimits } from './pg-rate-limits.js';
import { PgRatingRepository } from './pg-rating.repository.js';
import { PgRecognitionLog } from './pg-recognition-log.repository.js';
import { PgStaffUserRepository } from './pg-staff-user.repository.js';
import { PgSharedSettings } from './pg-shared-settings.js';
import { reconcileAcrossDatabases } from './pg-transcript-reconciler.js';
import { PgTranscriptStore } from './pg-transcript.store.js';
import { PgStorage } from './pg.storage.js';

/** File in DATA_DIR that keeps the Direct Line history while the rest lives in PostgreSQL. */
export const DIRECTLINE_HISTORY_FILE_NAME = 'directline-history.sqlite';

/** PostgreSQL-backed stores plus the pool (for tests and tools). */
export interface PgStores extends Stores {
  readonly database: PgDatabase;
}

/** Options of {@link createPgStores}. */
export interface PgStoresOptions extends Omit<PgDatabaseOptions, 'logger'> {
  /**
   * Where the Direct Line history's SQLite file goes. The channel's ConversationStore is synchronous (it reads
   * history and subscribes a stream in one tick), which a network database cannot serve, so it stays on SQLite
   * per instance until that interface becomes asynchronous.
   */
  readonly dataDir: string;
  /** Complete the transcript from the Direct Line history at open (default true); see createSqliteStores. */
  readonly recoverTranscripts?: boolean;
}

/**
 * STORAGE=postgres: connects, migrates (see migratePg) and builds every store on one pool, except the Direct Line
 * history (see {@link PgStoresOptions.dataDir}), then completes the transcript after an unclean stop
 * (see reconcileAcrossDatabases).
 */
export async function createPgStores(options: PgStoresOptions, logger: Logger): Promise<PgStores> {
  const { dataDir, recoverTranscripts = true, ...databaseOptions } = options;
  const database = await PgDatabase.open({ ...databaseOptions, logger });
  let history: SqliteDatabase;
  try {
    history = SqliteDatabase.open(dataDir, { backgroundCheckpoint: true, fileName: DIRECTLINE_HISTORY_FILE_NAME, logger });
  } catch (error) {
    await database.close();
    throw error;
  }
  const { pool } = database;
  const transcripts = new PgTranscriptStore(pool);
  let recovered: ReconcileReport = { backfilled: 0, unanswered: [] };
  if (recoverTranscripts) {
    try {
      recovered = await reconcileAcrossDatabases(history.db, pool, transcripts, logger);
    } catch (error) {
      // A repair that fails must not keep every seller out (as on SQLite): serve without it and say so.
      logger.error({ err: error }, 'createPgStores(): transcript reconciliation failed; starting without it');
    }
  }
  if (recovered.backfilled > 0) {
    logger.warn(
      { backfilled: recovered.backfilled, unanswered: recovered.unanswered.length },
      'createPgStores(): completed the transcript from the Direct Line history after an unclean stop',
    );
  }
  return {
    database,
    storage: new PgStorage(pool),
    transcripts,
    transcriptMiddleware: new DurableTranscriptLoggerMiddleware(transcripts, logger),
    conversations: new SqliteConversationStore(history.db),
    sellerData: new UnsupportedSellerData('postgres'),
    limits: new PgRateLimits(pool, logger),
    sharedSettings: new PgSharedSettings(pool),
    // The pool is checked by every request that uses it; here: still open, and the local history file answers.
    readiness: () =>
      pool.ended
        ? { ready: false, problems: ['storage: the PostgreSQL pool is closed'] }
        : checkSqliteReadiness(history.db, MIGRATIONS.at(-1)?.version ?? 0),
    onCommit: (listener) => SqliteGroupCommit.for(history.db).onCommit(listener),
    handoff: {
      conversations: new PgConversationIndex(pool),
      recognitions: new PgRecognitionLog(pool),
      callbacks: new PgCallbackRepository(pool),
      ratings: new PgRatingRepository(pool),
      transcriptSearch: transcripts,
    },
    console: {
      staff: new PgStaffUserRepository(pool),
      sessions: new PgConsoleSessionRepository(pool),
    },
    recovered,
    close: async () => {
      history.close();
      await database.close();
    },
  };
}

/** The PostgreSQL settings of the configuration (STORAGE=postgres; config.ts guarantees DATABASE_URL then). */
export function pgStoresOptions(config: Config): PgStoresOptions {
  if (config.DATABASE_URL === undefined) {
    throw new StorageError('STORAGE_BAD_ARGUMENT', 'pgStoresOptions(): DATABASE_URL is required with STORAGE=postgres');
  }
  return {
    connectionString: config.DATABASE_URL,
    schema: config.DATABASE_SCHEMA,
    poolMax: config.DATABASE_POOL_MAX,
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
    dataDir: config.DATA_DIR,
  };
}
