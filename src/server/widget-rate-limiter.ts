/** A rate limit per key (the client's address): how long to wait before the next request is allowed. */
export interface TokenRateLimiter {
  /** Takes one token for `key`; resolves with 0 when allowed, else the milliseconds to wait before the next try. */
  take(key: string): Promise<number>;
}

/**
 * Token bucket per client key (the peer IP): `perMinute` requests per minute with bursts up to `perMinute`.
 * Buckets that are full again are forgotten, so memory stays bounded by the clients of the last minute.
 * Per process: for one instance (SQLite, memory). Instances sharing PostgreSQL use PgTokenRateLimiter.
 */
export class WidgetRateLimiter implements TokenRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly ratePerMs: number;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    this.ratePerMs = perMinute / 60_000;
  }

  // No await inside: the check and the take happen in one tick, so parallel calls cannot pass together.
  async take(key: string): Promise<number> {
    const now = this.now();
    if (this.buckets.size > 10_000) this.forgetFull(now);
    const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, at: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * this.ratePerMs);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.ratePerMs);
  }

  private forgetFull(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * this.ratePerMs >= this.perMinute) this.buckets.delete(key);
    }
  }
}
