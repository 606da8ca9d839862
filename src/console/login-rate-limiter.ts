/** Options of {@link LoginRateLimiter} and of the PostgreSQL sign-in limiter. */
export interface LoginRateLimiterOptions {
  /** Failed attempts allowed per client address and username within the window. */
  readonly maxFailuresPerAccount?: number;
  /** Failed attempts allowed per client address (any username) within the window. */
  readonly maxFailuresPerAddress?: number;
  readonly windowMs?: number;
  readonly now?: () => number;
}

/** The limits themselves, defaults filled in. */
export type LoginLimits = Required<Omit<LoginRateLimiterOptions, 'now'>>;

/**
 * Sign-in limiting as the console uses it, whatever keeps the counts (this process, or PostgreSQL for several
 * instances).
 */
export interface SignInLimiter {
  /**
   * Call before checking a password. Resolves with the seconds to wait when the limit is reached; otherwise with 0,
   * having counted the attempt as a failure already (until {@link recordSuccess}), so that parallel attempts, whose
   * password checks all finish later, cannot all pass the limit before any of them is counted.
   */
  acquire(address: string, username: string): Promise<number>;
  /**
   * A successful sign-in clears that account's failures from that address, and takes back the address's count of
   * this attempt (counted by {@link acquire}).
   */
  recordSuccess(address: string, username: string): Promise<void>;
}

const MAX_KEYS = 10_000;

export const LOGIN_RATE_LIMIT_DEFAULTS = { maxFailuresPerAccount: 5, maxFailuresPerAddress: 20, windowMs: 15 * 60_000 } as const;

/** The account a sign-in names, as ConsoleAuth looks it up: `" Admin"`, `"admin "` and `"admin"` are one account. */
export function normalizeUsername(username: string): string {
  return username.normalize('NFKC').trim().toLowerCase();
}

/**
 * Seconds until the next attempt is allowed (0: now), from the failure times still in the window, oldest first:
 * those of this account from this address, and those of this address.
 */
export function retryAfterFromFailures(accountTimes: readonly number[], addressTimes: readonly number[], limits: LoginLimits, now: number): number {
  const blockedUntil = Math.max(
    accountTimes.length >= limits.maxFailuresPerAccount ? (accountTimes[accountTimes.length - limits.maxFailuresPerAccount] ?? 0) + limits.windowMs : 0,
    addressTimes.length >= limits.maxFailuresPerAddress ? (addressTimes[addressTimes.length - limits.maxFailuresPerAddress] ?? 0) + limits.windowMs : 0,
  );
  return Math.max(0, Math.ceil((blockedUntil - now) / 1000));
}

/**
 * Limits failed sign-ins per (address, account) and per address in a sliding window. Keyed by address too, so
 * that a guesser cannot lock a colleague out from elsewhere; keyed by the normalized account name, so that
 * spelling variants of one account share its allowance. In memory: limits reset on restart, and each process
 * counts alone; acceptable for a single-instance console (instances sharing PostgreSQL use PgSignInLimiter).
 */
export class LoginRateLimiter implements SignInLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly options: LoginLimits;
  private readonly now: () => number;

  constructor(options: LoginRateLimiterOptions = {}) {
    const { now, ...limits } = options;
    this.options = { ...LOGIN_RATE_LIMIT_DEFAULTS, ...limits };
    this.now = now ?? Date.now;
  }

  // No await inside: checking and counting happen in one tick, so parallel calls in this process are each counted.
  async acquire(address: string, username: string): Promise<number> {
    const wait = this.retryAfterSeconds(address, username);
    if (wait > 0) return wait;
    this.recordFailure(address, username);
    return 0;
  }

  /** Seconds until the next attempt is allowed, or 0 when it is allowed now. */
  retryAfterSeconds(address: string, username: string): number {
    return retryAfterFromFailures(this.recent(accountKey(address, username)), this.recent(addressKey(address)), this.options, this.now());
  }

  recordFailure(address: string, username: string): void {
    // Bound memory under a spray of addresses or usernames: drop keys whose failures all left the window.
    if (this.failures.size > MAX_KEYS) for (const key of [...this.failures.keys()]) this.recent(key);
    for (const key of [accountKey(address, username), addressKey(address)]) {
      this.failures.set(key, [...this.recent(key), this.now()]);
    }
  }

  async recordSuccess(address: string, username: string): Promise<void> {
    this.failures.delete(accountKey(address, username));
    const byAddress = this.recent(addressKey(address));
    if (byAddress.length > 0) {
      byAddress.pop();
      if (byAddress.length === 0) this.failures.delete(addressKey(address));
    }
  }

  private recent(key: string): number[] {
    const cutoff = this.now() - this.options.windowMs;
    const kept = (this.failures.get(key) ?? []).filter((t) => t > cutoff);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept;
  }
}

const accountKey = (address: string, username: string): string => `a:${address}:${normalizeUsername(username)}`;
const addressKey = (address: string): string => `i:${address}`;
