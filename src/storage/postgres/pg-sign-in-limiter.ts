import type pg from 'pg';
import {
  LOGIN_RATE_LIMIT_DEFAULTS,
  normalizeUsername,
  retryAfterFromFailures,
  type LoginLimits,
  type LoginRateLimiterOptions,
  type SignInLimiter,
} from '../../console/login-rate-limiter.js';

// One row per address holds both windows, so this one upsert (row-locked) checks both limits and counts the
// attempt, atomically across instances. Failures that left the window are dropped on the way.
// $1 address, $2 normalized account, $3 now, $4 max per account, $5 max per address, $6 window.
const ACQUIRE = `
  INSERT INTO sign_in_failures AS f (address, account_names, account_times, address_times, allowed, expires_ms)
  VALUES ($1, ARRAY[$2::text], ARRAY[$3::bigint], ARRAY[$3::bigint], true, $3::bigint + $6::bigint)
  ON CONFLICT (address) DO UPDATE SET (allowed, account_names, account_times, address_times, expires_ms) = (
    SELECT d.ok,
      acc.names || CASE WHEN d.ok THEN ARRAY[$2::text] ELSE '{}'::text[] END,
      acc.times || CASE WHEN d.ok THEN ARRAY[$3::bigint] ELSE '{}'::bigint[] END,
      adr.times || CASE WHEN d.ok THEN ARRAY[$3::bigint] ELSE '{}'::bigint[] END,
      CASE WHEN d.ok THEN $3::bigint + $6::bigint ELSE f.expires_ms END
    FROM
      (SELECT coalesce(array_agg(n ORDER BY o), '{}') AS names, coalesce(array_agg(t ORDER BY o), '{}') AS times,
              count(*) FILTER (WHERE n = $2::text) AS mine
         FROM unnest(f.account_names, f.account_times) WITH ORDINALITY AS e(n, t, o) WHERE t > $3::bigint - $6::bigint) AS acc,
      (SELECT coalesce(array_agg(t ORDER BY o), '{}') AS times, count(*) AS total
         FROM unnest(f.address_times) WITH ORDINALITY AS e(t, o) WHERE t > $3::bigint - $6::bigint) AS adr,
      LATERAL (SELECT acc.mine < $4::int AND adr.total < $5::int AS ok) AS d
  )
  RETURNING allowed, account_names, account_times, address_times`;

// Clears the account's failures from this address and takes back the address's latest one (see recordSuccess).
const SUCCESS = `
  UPDATE sign_in_failures AS f SET
    (account_names, account_times) = (
      SELECT coalesce(array_agg(n ORDER BY o), '{}'), coalesce(array_agg(t ORDER BY o), '{}')
        FROM unnest(f.account_names, f.account_times) WITH ORDINALITY AS e(n, t, o)
       WHERE n <> $2::text AND t > $3::bigint - $4::bigint),
    address_times = (
      SELECT coalesce(array_agg(t ORDER BY o), '{}')
        FROM (SELECT t, o, row_number() OVER (ORDER BY o DESC) AS from_end
                FROM unnest(f.address_times) WITH ORDINALITY AS e(t, o) WHERE t > $3::bigint - $4::bigint) AS kept
       WHERE from_end > 1)
  WHERE address = $1`;

interface AcquireRow {
  allowed: boolean;
  account_names: string[];
  // int8 comes back as text from node-postgres.
  account_times: string[];
  address_times: string[];
}

/**
 * {@link SignInLimiter} shared by every instance on the database, with LoginRateLimiter's limits and waits: the
 * count-before-checking property holds across instances (each acquire is one atomic statement).
 */
export class PgSignInLimiter implements SignInLimiter {
  private readonly limits: LoginLimits;
  private readonly now: () => number;

  /** @param beforeUse called with the time of each acquire (the owner's sweep of expired rows). */
  constructor(
    private readonly pool: pg.Pool,
    options: LoginRateLimiterOptions = {},
    private readonly beforeUse: (now: number) => void = () => undefined,
  ) {
    const { now, ...limits } = options;
    this.limits = { ...LOGIN_RATE_LIMIT_DEFAULTS, ...limits };
    this.now = now ?? Date.now;
  }

  async acquire(address: string, username: string): Promise<number> {
    const now = this.now();
    this.beforeUse(now);
    const account = normalizeUsername(username);
    const { maxFailuresPerAccount, maxFailuresPerAddress, windowMs } = this.limits;
    const { rows } = await this.pool.query<AcquireRow>(ACQUIRE, [address, account, now, maxFailuresPerAccount, maxFailuresPerAddress, windowMs]);
    const row = rows[0];
    if (!row) throw new Error('PgSignInLimiter.acquire(): the upsert returned no row');
    if (row.allowed) return 0;
    const accountTimes = row.account_times.map(Number).filter((_, i) => row.account_names[i] === account);
    // A denial always has a wait; at least one second keeps the answer a 429 even at a window's edge.
    return Math.max(1, retryAfterFromFailures(accountTimes, row.address_times.map(Number), this.limits, now));
  }

  async recordSuccess(address: string, username: string): Promise<void> {
    await this.pool.query(SUCCESS, [address, normalizeUsername(username), this.now(), this.limits.windowMs]);
  }
}
