/** Options of {@link ServiceUrlAllowList}. */
export interface ServiceUrlAllowListOptions {
  /** Host patterns: exact names, or `*.domain` for any subdomain of `domain` (not `domain` itself). Lower case. */
  readonly hosts: readonly string[];
  /** Also allow `http(s)://localhost`, `127.x.x.x` and `[::1]` on any port (the Emulator; anonymous mode only). */
  readonly allowLoopback: boolean;
}

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);

/**
 * Decides which `serviceUrl` an `/api/messages` activity may name: the bot POSTs its replies (and, for staff, the
 * seller's case) there, so an unchecked one lets any caller make this server send requests anywhere (SSRF).
 */
export class ServiceUrlAllowList {
  constructor(private readonly options: ServiceUrlAllowListOptions) {}

  /** Why `serviceUrl` is refused, phrased for the caller, or undefined when it is allowed. */
  problem(serviceUrl: string): string | undefined {
    let url: URL;
    try {
      url = new URL(serviceUrl);
    } catch {
      return 'activity.serviceUrl: not a URL';
    }
    if (url.username || url.password) return 'activity.serviceUrl: credentials in the URL are not allowed';
    const host = url.hostname.toLowerCase();
    if (this.options.allowLoopback && isLoopback(host) && (url.protocol === 'http:' || url.protocol === 'https:')) return undefined;
    if (url.protocol !== 'https:') return 'activity.serviceUrl: only https is allowed';
    if (this.options.hosts.some((pattern) => matches(pattern, host))) return undefined;
    return `activity.serviceUrl: host ${host} is not a Bot Framework channel host allowed by BOT_FRAMEWORK_SERVICE_URL_HOSTS`;
  }
}

function matches(pattern: string, host: string): boolean {
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
  return host === pattern;
}

function isLoopback(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || /^127(\.\d{1,3}){3}$/.test(host);
}
