import type { IncomingMessage } from 'node:http';

/**
 * The client's address, for per-client limits (widget tokens, console sign-in).
 *
 * Behind `trustedProxyHops` reverse proxies (TRUSTED_PROXY_HOPS) every request arrives from the last proxy, so the
 * socket address would put all clients in one bucket. Each proxy appends the address it received the request from
 * to X-Forwarded-For, so the client is the hops-th entry from the right; entries further left are whatever the
 * client sent itself and are never used. With 0 hops (no proxy, the default) the header is ignored, so a client
 * cannot pick its own bucket.
 */
export function clientAddress(req: IncomingMessage, trustedProxyHops: number): string {
  const socketAddress = req.socket.remoteAddress ?? 'unknown';
  if (trustedProxyHops <= 0) return socketAddress;
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (forwarded.length === 0) return socketAddress;
  return forwarded[Math.max(0, forwarded.length - trustedProxyHops)]!;
}
