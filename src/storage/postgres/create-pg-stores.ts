import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { ReconcileReport } from '../directline-transcript-reconciler.js';
import { DurableTranscriptLoggerMiddleware } from '../durable-transcript-logger.middleware.js';
import { StorageError } from '../storage-error.js';
import type { Stores } from '../stores.js';
import { PgCallbackRepository } from './pg-callback.repository.js';
import { PgConsoleSessionRepository } from './pg-console-session.repository.js';
import { PgConversationIndex } from './pg-conversation-index.repository.js';
import { PgDatabase, type PgDatabaseOptions } from './pg-database.js';
import { PgRateLimits } from './pg-rate-limits.js';
import { PgRatingRepository } from './pg-rating.repository.js';
import { PgRecognitionLog } from './pg-recognition-log.repository.js';
import { PgSellerData } from './pg-seller-data.js';
import { PgStaffUserRepository } from './pg-staff-user.repository.js';
import { PgConversationStore } from './pg-conversation.store.js';
import { PgSharedSettings } from './pg-shared-settings.js';
import { reconcilePgTranscripts } from './pg-transcript-reconciler.js';
import { PgTurnLedger } from './pg-turn-ledger.js';
import { PgTranscriptStore } from './pg-transcript.store.js';
import { PgStorage } from './pg.storage.js';

/** PostgreSQL-backed stores plus the pool (for tests and tools). */
export interface PgStores extends Stores {
  readonly database: PgDatabase;
}

/** Options of {@link createPgStores}. */
export interface PgStoresOptions extends Omit<PgDatabaseOptions, 'logger'> {
  /** Complete the transcript from the Direct Line history at open (default true); see createSqliteStores. */
  readonly recoverTranscripts?: boolean;
}

/**
 * STORAGE=postgres: connects, migrates (see migratePg) and builds every store on one pool, the Direct Line history
 * and turn ledger included (every instance shares them), then completes the transcript after an unclean stop
 * (see reconcilePgTranscripts).
 */
export async function createPgStores(options: PgStoresOptions, logger: Logger): Promise<PgStores> {
  const { recoverTranscripts = true, ...databaseOptions } = options;
  const database = await PgDatabase.open({ ...databaseOptions, logger });
  const { pool } = database;
  const transcripts = new PgTranscriptStore(pool);
  const conversations = new PgConversationStore(pool);
  let recovered: ReconcileReport = { backfilled: 0, unanswered: [] };
  if (recoverTranscripts) {
    try {
      recovered = await reconcilePgTranscripts(pool, transcripts, logger);
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
    conversations,
    turnLedger: new PgTurnLedger(pool),
    sellerData: new PgSellerData(pool, conversations),
    limits: new PgRateLimits(pool, logger),
    sharedSettings: new PgSharedSettings(pool),
    // The pool is checked by every request that uses it; here: still open.
    readiness: () =>
      pool.ended ? { ready: false, problems: ['storage: the PostgreSQL pool is closed'] } : { ready: true, problems: [] },
    // Each PostgreSQL write commits on its own: there is no group commit to time.
    onCommit: () => () => undefined,
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
    close: () => database.close(),
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
  };
}
