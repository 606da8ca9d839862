import { LoginRateLimiter, type LoginRateLimiterOptions, type SignInLimiter } from '../console/login-rate-limiter.js';
import { WidgetRateLimiter, type TokenRateLimiter } from '../server/widget-rate-limiter.js';

/**
 * Where rate limits keep their counts. In this process for one instance (memory, SQLite); in PostgreSQL when
 * several instances share it, so that N instances behind a load balancer allow the limit once, not N times.
 */
export interface RateLimits {
  /**
   * A token bucket per key: `perMinute` per minute, bursts up to `perMinute`. `name` keeps limiters that share
   * storage apart (`widget-token`).
   */
  tokenBucket(name: string, perMinute: number): TokenRateLimiter;
  /** The console's sign-in limit (see SignInLimiter). */
  signIns(options?: LoginRateLimiterOptions): SignInLimiter;
}

/** Limits counted in this process only. */
export function memoryRateLimits(): RateLimits {
  return {
    tokenBucket: (_name, perMinute) => new WidgetRateLimiter(perMinute),
    signIns: (options) => new LoginRateLimiter(options),
  };
}
