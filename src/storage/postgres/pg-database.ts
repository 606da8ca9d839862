import pg from 'pg';
import type { Logger } from '../../logger.js';
import { StorageError } from '../storage-error.js';
import { PG_MIGRATIONS } from './migrations/index.js';
import { migratePg, type PgMigrationReport } from './pg-migrator.js';
import { inTransaction } from './pg-transaction.js';

/** Options of {@link PgDatabase.open}. */
export interface PgDatabaseOptions {
  /** `postgres://user:password@host:port/database` (node-postgres connection string). */
  readonly connectionString: string;
  /**
   * Schema holding the tables, created when missing (default `public`). Tests give each file its own; `public`
   * stays on the search path after it, where the migrations install `pg_trgm`.
   */
  readonly schema?: string;
  /** Most connections the pool opens (default 10). Each instance holds up to this many. */
  readonly poolMax?: number;
  /** Server-side `statement_timeout` of every connection, ms (default 10,000; 0 disables it). */
  readonly statementTimeoutMs?: number;
  readonly logger?: Logger;
}

/** Defaults of {@link PgDatabaseOptions}. */
export const PG_DEFAULTS = { schema: 'public', poolMax: 10, statementTimeoutMs: 10_000 } as const;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * A node-postgres pool on a migrated schema. Every connection of the pool has the schema first on its
 * `search_path` and the statement time-out set, so the repositories write plain table names.
 */
export class PgDatabase {
  private closed = false;

  private constructor(
    readonly pool: pg.Pool,
    readonly schema: string,
    /** What start-up migration did. */
    readonly migration: PgMigrationReport,
  ) {}

  /** Connects, creates the schema when needed and applies the pending migrations (see migratePg). */
  static async open(options: PgDatabaseOptions): Promise<PgDatabase> {
    const schema = options.schema ?? PG_DEFAULTS.schema;
    if (!SCHEMA_NAME.test(schema)) {
      throw new StorageError('STORAGE_BAD_ARGUMENT', `PgDatabase.open(): schema "${schema}" must match ${SCHEMA_NAME}`);
    }
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolMax ?? PG_DEFAULTS.poolMax,
      statement_timeout: options.statementTimeoutMs ?? PG_DEFAULTS.statementTimeoutMs,
      // search_path as a start-up parameter: set before the first query of every new connection.
      options: `-c search_path=${schema},public`,
      application_name: 'cxt-bot',
    });
    // An idle connection that the server drops emits 'error' on the pool; without a listener that kills the process.
    pool.on('error', (error) => options.logger?.warn({ err: error.message }, 'PgDatabase: idle connection failed'));
    try {
      const migration = await migratePg(pool, schema, PG_MIGRATIONS);
      if (migration.applied.length > 0) {
        options.logger?.info({ schema, from: migration.from, to: migration.to, applied: migration.applied }, 'database migrated');
      }
      return new PgDatabase(pool, schema, migration);
    } catch (error) {
      await pool.end();
      throw error;
    }
  }

  /** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
  async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, work);
  }

  /** Waits for running queries and closes every connection; safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
