/** Options of {@link LoginRateLimiter}. */
export interface LoginRateLimiterOptions {
  /** Failed attempts allowed per client address and username within the window. */
  readonly maxFailuresPerAccount?: number;
  /** Failed attempts allowed per client address (any username) within the window. */
  readonly maxFailuresPerAddress?: number;
  readonly windowMs?: number;
  readonly now?: () => number;
}

const MAX_KEYS = 10_000;

export const LOGIN_RATE_LIMIT_DEFAULTS = { maxFailuresPerAccount: 5, maxFailuresPerAddress: 20, windowMs: 15 * 60_000 } as const;

/** The account a sign-in names, as ConsoleAuth looks it up: `" Admin"`, `"admin "` and `"admin"` are one account. */
export function normalizeUsername(username: string): string {
  return username.normalize('NFKC').trim().toLowerCase();
}

/**
 * Limits failed sign-ins per (address, account) and per address in a sliding window. Keyed by address too, so
 * that a guesser cannot lock a colleague out from elsewhere; keyed by the normalized account name, so that
 * spelling variants of one account share its allowance. In memory: limits reset on restart, acceptable for a
 * single-instance console.
 */
export class LoginRateLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly options: Required<Omit<LoginRateLimiterOptions, 'now'>>;
  private readonly now: () => number;

  constructor(options: LoginRateLimiterOptions = {}) {
    this.options = { ...LOGIN_RATE_LIMIT_DEFAULTS, ...options };
    this.now = options.now ?? Date.now;
  }

  /**
   * Call before checking a password. Returns the seconds to wait when the limit is reached; otherwise returns 0
   * and counts the attempt as a failure right away (until {@link recordSuccess}), so that parallel attempts, whose
   * password checks all finish later, cannot all pass the limit before any of them is counted.
   */
  acquire(address: string, username: string): number {
    const wait = this.retryAfterSeconds(address, username);
    if (wait > 0) return wait;
    this.recordFailure(address, username);
    return 0;
  }

  /** Seconds until the next attempt is allowed, or 0 when it is allowed now. */
  retryAfterSeconds(address: string, username: string): number {
    const account = this.recent(accountKey(address, username));
    const byAddress = this.recent(addressKey(address));
    const blockedUntil = Math.max(
      account.length >= this.options.maxFailuresPerAccount ? (account[account.length - this.options.maxFailuresPerAccount] ?? 0) + this.options.windowMs : 0,
      byAddress.length >= this.options.maxFailuresPerAddress ? (byAddress[byAddress.length - this.options.maxFailuresPerAddress] ?? 0) + this.options.windowMs : 0,
    );
    return Math.max(0, Math.ceil((blockedUntil - this.now()) / 1000));
  }

  recordFailure(address: string, username: string): void {
    // Bound memory under a spray of addresses or usernames: drop keys whose failures all left the window.
    if (this.failures.size > MAX_KEYS) for (const key of [...this.failures.keys()]) this.recent(key);
    for (const key of [accountKey(address, username), addressKey(address)]) {
      this.failures.set(key, [...this.recent(key), this.now()]);
    }
  }

  /**
   * A successful sign-in clears that account's failures from that address, and takes back the address's count of
   * this attempt (counted by {@link acquire}).
   */
  recordSuccess(address: string, username: string): void {
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
