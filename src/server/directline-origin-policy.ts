/**
 * Which browser origins may call the Direct Line and widget routes cross-origin (CORS) and open WebSocket streams
 * (which CORS does not cover): the server's own origin, and ALLOWED_ORIGINS (`*` for any).
 */
export class OriginPolicy {
  private readonly any: boolean;
  private readonly allowed: ReadonlySet<string>;

  constructor(allowedOrigins: readonly string[]) {
    this.any = allowedOrigins.includes('*');
    this.allowed = new Set(allowedOrigins.map((origin) => origin.replace(/\/+$/, '').toLowerCase()));
  }

  /**
   * Whether a request with this `Origin` may proceed. No Origin means a non-browser client (the Node Direct Line
   * client, a site's back end); same-origin means our own pages.
   */
  allows(origin: string | undefined, host: string | undefined): boolean {
    if (origin === undefined) return true;
    if (this.any) return true;
    const normalized = origin.toLowerCase();
    if (host && (normalized === `http://${host.toLowerCase()}` || normalized === `https://${host.toLowerCase()}`)) return true;
    return this.allowed.has(normalized);
  }

  /** True when the origin is foreign to `host` (so CORS headers are needed). */
  isCrossOrigin(origin: string | undefined, host: string | undefined): origin is string {
    if (origin === undefined || !host) return origin !== undefined;
    const normalized = origin.toLowerCase();
    return normalized !== `http://${host.toLowerCase()}` && normalized !== `https://${host.toLowerCase()}`;
  }
}
