import { createHash, timingSafeEqual } from 'node:crypto';

/** Who may read `/metrics` through one listener. */
export type MetricsAccess =
  /** Not served here: 404, as for any unknown path (the main port without METRICS_TOKEN). */
  | { readonly kind: 'hidden' }
  /** Served to requests carrying `Authorization: Bearer <token>`; 401 otherwise. */
  | { readonly kind: 'token'; readonly token: string }
  /** Served to anyone who can reach the listener (METRICS_PORT without a token: the network is the boundary). */
  | { readonly kind: 'open' };

/** The access rule of the main port and of the METRICS_PORT listener, from METRICS_TOKEN. */
export function metricsAccess(token: string, listener: 'main' | 'metrics'): MetricsAccess {
  if (token !== '') return { kind: 'token', token };
  return listener === 'main' ? { kind: 'hidden' } : { kind: 'open' };
}

/** What a request gets: the metrics, 401, or 404. */
export function checkMetricsAccess(access: MetricsAccess, authorization: string | undefined): 200 | 401 | 404 {
  if (access.kind === 'hidden') return 404;
  if (access.kind === 'open') return 200;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1] !== undefined && sameSecret(match[1], access.token) ? 200 : 401;
}

/** Constant-time comparison (of digests, so lengths do not leak either). */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
