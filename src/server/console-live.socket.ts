import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type restify from 'restify';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import type { ConsoleAuth } from '../console/console-auth.js';
import type { LiveHub } from '../handoff/live-events.js';
import type { Logger } from '../logger.js';
import { sessionToken } from './console-http.js';
import type { PublicOrigin } from './public-origin.js';
import { refuseUpgrade, upgradeRouterOf } from './upgrade-router.js';

/** Path of the console's live-event WebSocket. */
export const CONSOLE_LIVE_PATH = '/api/console/live';

/** Options of {@link attachConsoleLiveSocket}. */
export interface ConsoleLiveSocketOptions {
  readonly auth: ConsoleAuth;
  readonly live: LiveHub;
  readonly logger: Logger;
  /** This server's origin: a socket opened from another site is refused. */
  readonly site: PublicOrigin;
  /** How often sessions are re-checked and dead sockets pinged, ms. */
  readonly heartbeatMs?: number;
  /** A client this far behind (bytes buffered) is dropped rather than allowed to grow memory. */
  readonly maxBufferedBytes?: number;
}

/** What a console client may send: only keep-alives. Anything else closes the socket (1008). */
const clientMessageSchema = z.object({ type: z.literal('ping') });

/**
 * Pushes {@link LiveHub} events to signed-in staff over a WebSocket at {@link CONSOLE_LIVE_PATH} (no polling).
 * Routed by the server's {@link upgradeRouterOf} (a failed session check answers 500 there). The handshake needs a valid session cookie and a same-origin Origin.
 */
export function attachConsoleLiveSocket(server: restify.Server, options: ConsoleLiveSocketOptions): { close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const heartbeatMs = options.heartbeatMs ?? 30_000;
  const maxBuffered = options.maxBufferedBytes ?? 4 * 1024 * 1024;
  const clients = new Map<WebSocket, { token: string; alive: boolean; unsubscribe: () => void }>();

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> | void => {
    const token = sessionToken(req);
    if (options.site.isCrossOrigin(req)) return refuseUpgrade(socket, 403);
    return options.auth
      .authenticate(token)
      .then((principal) => {
        if (!principal || !token) return refuseUpgrade(socket, 401);
        wss.handleUpgrade(req, socket, head, (ws) => {
          const unsubscribe = options.live.subscribe((event) => {
            if (ws.readyState !== ws.OPEN) return;
            if (ws.bufferedAmount > maxBuffered) return ws.terminate();
            ws.send(JSON.stringify(event));
          });
          clients.set(ws, { token, alive: true, unsubscribe });
          ws.on('pong', () => {
            const client = clients.get(ws);
            if (client) client.alive = true;
          });
          ws.on('message', (data) => {
            let parsed: unknown;
            try {
              parsed = JSON.parse(String(data));
            } catch {
              parsed = undefined;
            }
            if (!clientMessageSchema.safeParse(parsed).success) return ws.close(1008, 'unexpected message');
            ws.send(JSON.stringify({ type: 'pong' }));
          });
          ws.on('close', () => {
            clients.get(ws)?.unsubscribe();
            clients.delete(ws);
          });
          ws.on('error', (error) => options.logger.debug({ err: error }, 'console live socket error'));
          ws.send(JSON.stringify({ type: 'hello', username: principal.user.username }));
        });
      });
  };
  const unroute = upgradeRouterOf(server.server, options.logger).route((path) => path === CONSOLE_LIVE_PATH, onUpgrade);

  // Drop dead sockets and sockets whose session expired or signed out.
  const timer = setInterval(() => {
    for (const [ws, client] of clients) {
      if (!client.alive) {
        ws.terminate();
        continue;
      }
      client.alive = false;
      ws.ping();
      options.auth.authenticate(client.token).then(
        (principal) => {
          if (!principal) ws.close(4401, 'session ended');
        },
        (error: unknown) => options.logger.error({ err: error }, 'attachConsoleLiveSocket(): session re-check failed'),
      );
    }
  }, heartbeatMs);
  timer.unref();

  return {
    close(): void {
      clearInterval(timer);
      unroute();
      for (const ws of clients.keys()) ws.terminate();
      wss.close();
    },
  };
}
