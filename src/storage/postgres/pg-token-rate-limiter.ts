import type pg from 'pg';
import type { TokenRateLimiter } from '../../server/widget-rate-limiter.js';

// GCRA, the token bucket kept as one number: `tat_ms` is when the bucket would be full again. A take is allowed
// while that lies at most (burst - 1) intervals ahead, and pushes it one interval on. The row lock of the upsert
// orders takes from every instance. The epsilon absorbs float rounding of repeated additions.
const TAKE = `
  INSERT INTO rate_limit_buckets AS b (key, tat_ms, allowed) VALUES ($1, $2::float8 + $3::float8, true)
  ON CONFLICT (key) DO UPDATE SET (allowed, tat_ms) = (
    SELECT d.ok, CASE WHEN d.ok THEN s.start + $3::float8 ELSE b.tat_ms END
    FROM (SELECT greatest(b.tat_ms, $2::float8) AS start) AS s,
         LATERAL (SELECT s.start - $2::float8 <= $4::float8 + 1e-6 AS ok) AS d
  )
  RETURNING allowed, tat_ms`;

/**
 * {@link TokenRateLimiter} shared by every instance on the database: one statement per take. Same limits as
 * WidgetRateLimiter: `perMinute` per minute, bursts up to `perMinute`, the same waits.
 */
export class PgTokenRateLimiter implements TokenRateLimiter {
  private readonly intervalMs: number;

  /**
   * @param name prefix of this limiter's keys (several limiters share the table).
   * @param beforeTake called with the time of each take (the owner's sweep of full buckets).
   */
  constructor(
    private readonly pool: pg.Pool,
    private readonly name: string,
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
    private readonly beforeTake: (now: number) => void = () => undefined,
  ) {
    if (!(perMinute >= 1)) throw new Error(`PgTokenRateLimiter(): perMinute must be at least 1, got ${perMinute}`);
    this.intervalMs = 60_000 / perMinute;
  }

  async take(key: string): Promise<number> {
    const now = this.now();
    this.beforeTake(now);
    const tolerance = (this.perMinute - 1) * this.intervalMs;
    const { rows } = await this.pool.query<{ allowed: boolean; tat_ms: number }>(TAKE, [`${this.name}:${key}`, now, this.intervalMs, tolerance]);
    const row = rows[0];
    if (!row) throw new Error('PgTokenRateLimiter.take(): the upsert returned no row');
    return row.allowed ? 0 : Math.max(1, Math.ceil(row.tat_ms - now - tolerance));
  }
}
