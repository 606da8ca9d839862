import type pg from 'pg';
import type { Logger } from '../../logger.js';
import type { RateLimits } from '../rate-limits.js';
import { PgSignInLimiter } from './pg-sign-in-limiter.js';
import { PgTokenRateLimiter } from './pg-token-rate-limiter.js';

/** How often each instance deletes rows that no longer limit anyone. */
export const RATE_LIMIT_SWEEP_INTERVAL_MS = 60_000;
/** Most rows one sweep deletes, so that a sweep stays a short statement whatever piled up. */
const SWEEP_BATCH = 5_000;

// A bucket is full again once its tat_ms has passed; an address's row once its last failure left the window.
// The condition is repeated outside the sub-select: a check that updates a row while the sweep waits for its lock
// makes PostgreSQL re-check only the outer WHERE on the new row, and the sub-select alone would delete a live row.
const SWEEP_BUCKETS = `DELETE FROM rate_limit_buckets
  WHERE key IN (SELECT key FROM rate_limit_buckets WHERE tat_ms <= $1::float8 LIMIT ${SWEEP_BATCH})
    AND tat_ms <= $1::float8`;
const SWEEP_FAILURES = `DELETE FROM sign_in_failures
  WHERE address IN (SELECT address FROM sign_in_failures WHERE expires_ms <= $1::bigint LIMIT ${SWEEP_BATCH})
    AND expires_ms <= $1::bigint`;

/**
 * {@link RateLimits} in PostgreSQL, shared by every instance. Expired rows (full buckets, failures out of their
 * window) are deleted by index, at most once a minute per instance, beside a check and without delaying it.
 */
export class PgRateLimits implements RateLimits {
  private lastSweep = -Infinity;

  constructor(
    private readonly pool: pg.Pool,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  tokenBucket(name: string, perMinute: number): PgTokenRateLimiter {
    return new PgTokenRateLimiter(this.pool, name, perMinute, this.now, (at) => this.maybeSweep(at));
  }

  signIns(options: ConstructorParameters<typeof PgSignInLimiter>[1] = {}): PgSignInLimiter {
    return new PgSignInLimiter(this.pool, { now: this.now, ...options }, (at) => this.maybeSweep(at));
  }

  /** Deletes expired rows now (tests; the limiters call it at most once a minute). */
  async sweep(now: number = this.now()): Promise<void> {
    await this.pool.query(SWEEP_BUCKETS, [now]);
    await this.pool.query(SWEEP_FAILURES, [now]);
  }

  private maybeSweep(now: number): void {
    if (now - this.lastSweep < RATE_LIMIT_SWEEP_INTERVAL_MS) return;
    this.lastSweep = now;
    this.sweep(now).catch((error: unknown) => this.logger.warn({ err: error }, 'PgRateLimits: sweeping expired rate-limit rows failed'));
  }
}
