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

/**
 * Limits failed sign-ins per (address, username) and per address in a sliding window. Keyed by address too, so
 * that a guesser cannot lock a colleague out from elsewhere. In memory: limits reset on restart, acceptable for
 * a single-instance console.
 */
export class LoginRateLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly options: Required<Omit<LoginRateLimiterOptions, 'now'>>;
  private readonly now: () => number;

  constructor(options: LoginRateLimiterOptions = {}) {
    this.options = { ...LOGIN_RATE_LIMIT_DEFAULTS, ...options };
    this.now = options.now ?? Date.now;
  }

  /** Seconds until the next attempt is allowed, or 0 when it is allowed now. */
  retryAfterSeconds(address: string, username: string): number {
    const account = this.recent(`a:${address}:${username.toLowerCase()}`);
    const byAddress = this.recent(`i:${address}`);
    const blockedUntil = Math.max(
      account.length >= this.options.maxFailuresPerAccount ? (account[account.length - this.options.maxFailuresPerAccount] ?? 0) + this.options.windowMs : 0,
      byAddress.length >= this.options.maxFailuresPerAddress ? (byAddress[byAddress.length - this.options.maxFailuresPerAddress] ?? 0) + this.options.windowMs : 0,
    );
    return Math.max(0, Math.ceil((blockedUntil - this.now()) / 1000));
  }

  recordFailure(address: string, username: string): void {
    // Bound memory under a spray of addresses or usernames: drop keys whose failures all left the window.
    if (this.failures.size > MAX_KEYS) for (const key of [...this.failures.keys()]) this.recent(key);
    for (const key of [`a:${address}:${username.toLowerCase()}`, `i:${address}`]) {
      this.failures.set(key, [...this.recent(key), this.now()]);
    }
  }

  /** A successful sign-in clears that account's failures from that address. */
  recordSuccess(address: string, username: string): void {
    this.failures.delete(`a:${address}:${username.toLowerCase()}`);
  }

  private recent(key: string): number[] {
    const cutoff = this.now() - this.options.windowMs;
    const kept = (this.failures.get(key) ?? []).filter((t) => t > cutoff);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept;
  }
}
