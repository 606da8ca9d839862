import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../logger.js';

/** The parts of an upgrade request's target a handler needs; never throws on odd input. */
export interface UpgradeTarget {
  /** Path as sent (still percent-encoded). */
  readonly pathname: string;
  readonly query: URLSearchParams;
}

/** Handles one upgrade request whose path matched; may answer asynchronously. */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer, target: UpgradeTarget) => void | Promise<void>;

/**
 * The one `upgrade` listener of an HTTP server: routes WebSocket handshakes by exact path and answers every other
 * one (404 for unknown paths, 400 for unparsable targets, 500 with a log line when a handler fails), so no upgrade
 * request holds its socket unanswered and no handler's exception reaches the process.
 */
export class UpgradeRouter {
  private readonly routes: Array<{ matches: (pathname: string) => boolean; handler: UpgradeHandler }> = [];

  constructor(
    server: Server,
    private readonly logger: Logger,
  ) {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.dispatch(req, socket, head));
  }

  /** Sends upgrades whose path `matches` to `handler`; returns a function that removes the route. */
  route(matches: (pathname: string) => boolean, handler: UpgradeHandler): () => void {
    const entry = { matches, handler };
    this.routes.push(entry);
    return () => {
      const index = this.routes.indexOf(entry);
      if (index >= 0) this.routes.splice(index, 1);
    };
  }

  private dispatch(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // A reset during the handshake must not become an uncaught 'error' event.
    socket.on('error', () => socket.destroy());
    const target = parseTarget(req.url);
    if (!target) return refuseUpgrade(socket, 400);
    const route = this.routes.find((candidate) => candidate.matches(target.pathname));
    if (!route) return refuseUpgrade(socket, 404);
    const fail = (error: unknown): void => {
      this.logger.error({ err: error, url: req.url }, 'UpgradeRouter: upgrade handler failed');
      refuseUpgrade(socket, 500);
    };
    try {
      const pending = route.handler(req, socket, head, target);
      if (pending) pending.catch(fail);
    } catch (error) {
      fail(error);
    }
  }
}

const routers = new WeakMap<Server, UpgradeRouter>();

/** The server's {@link UpgradeRouter}, created (and attached) on first use. */
export function upgradeRouterOf(server: Server, logger: Logger): UpgradeRouter {
  let router = routers.get(server);
  if (!router) {
    router = new UpgradeRouter(server, logger);
    routers.set(server, router);
  }
  return router;
}

/** Answers a handshake with a bodiless HTTP error and closes the socket (no-op once the socket is gone). */
export function refuseUpgrade(socket: Duplex, status: number): void {
  if (socket.destroyed || !socket.writable) return void socket.destroy();
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** Path and query of an origin-form request target (`/path?query`); anything else is unparsable. */
function parseTarget(url: string | undefined): UpgradeTarget | undefined {
  if (!url || !url.startsWith('/')) return undefined;
  const queryStart = url.indexOf('?');
  const pathname = queryStart < 0 ? url : url.slice(0, queryStart);
  return { pathname, query: new URLSearchParams(queryStart < 0 ? '' : url.slice(queryStart + 1)) };
}

/** `decodeURIComponent` that answers undefined for a malformed escape instead of throwing. */
export function decodePathSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
