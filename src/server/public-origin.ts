import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** How the server learns the origin browsers use to reach it (see {@link PublicOrigin}). */
export interface PublicOriginOptions {
  /** PUBLIC_URL as an origin (`https://bot.example.com`), or undefined. */
  readonly publicUrl: string | undefined;
  /** TRUSTED_PROXY_HOPS: X-Forwarded-Proto / X-Forwarded-Host are read only when a trusted proxy sets them. */
  readonly trustedProxyHops: number;
}

/** Scheme and host of this server as the browser that sent a request sees them. */
export interface SeenOrigin {
  readonly secure: boolean;
  /** `host[:port]`, lower case. */
  readonly host: string;
}

const HOST_PATTERN = /^[a-z0-9.:[\]-]{1,255}$/;

/**
 * This server's own origin, for the console's Secure cookie and same-origin check and the Direct Line stream URL.
 * PUBLIC_URL, when set, is the answer whatever the request says. Otherwise the request decides: TLS on the socket,
 * or X-Forwarded-Proto / X-Forwarded-Host, which are read only behind TRUSTED_PROXY_HOPS proxies (a client could
 * send them itself), else the Host header.
 */
export class PublicOrigin {
  private readonly fixed: SeenOrigin | undefined;

  constructor(private readonly options: PublicOriginOptions) {
    if (options.publicUrl) {
      const url = new URL(options.publicUrl);
      this.fixed = { secure: url.protocol === 'https:', host: url.host.toLowerCase() };
    }
  }

  /** True when PUBLIC_URL fixes the origin (then the scheme of an Origin header must match too). */
  get configured(): boolean {
    return this.fixed !== undefined;
  }

  /** The origin the request's browser used to reach this server. */
  of(req: IncomingMessage): SeenOrigin {
    if (this.fixed) return this.fixed;
    const proxied = this.options.trustedProxyHops > 0;
    const secure =
      (req.socket as TLSSocket).encrypted === true || (proxied && nearestEntry(req.headers['x-forwarded-proto']) === 'https');
    const forwardedHost = proxied ? nearestEntry(req.headers['x-forwarded-host']) : undefined;
    const host = [forwardedHost, req.headers.host?.toLowerCase()].find((candidate) => candidate && HOST_PATTERN.test(candidate));
    return { secure, host: host ?? `localhost:${req.socket.localPort ?? 80}` };
  }

  /**
   * Whether a browser request comes from another site: its Origin differs from ours (scheme too when PUBLIC_URL
   * is set; only the host otherwise, since a proxy may end TLS). No Origin means a non-browser client.
   */
  isCrossOrigin(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (origin === undefined) return false;
    let url: URL;
    try {
      url = new URL(String(origin));
    } catch {
      return true;
    }
    const ours = this.of(req);
    if (url.host.toLowerCase() !== ours.host) return true;
    return this.configured && (url.protocol === 'https:') !== ours.secure;
  }
}

/** The entry the nearest proxy wrote: the last of a comma-separated list (proxies append), lower case. */
function nearestEntry(header: string | string[] | undefined): string | undefined {
  const joined = Array.isArray(header) ? header.join(',') : header;
  const entries = (joined ?? '').split(',').map((entry) => entry.trim().toLowerCase()).filter((entry) => entry !== '');
  return entries.at(-1);
}
