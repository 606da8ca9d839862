import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type restify from 'restify';
import { WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../logger.js';
import type { DirectLineChannel } from '../channels/directline/directline-channel.js';
import { DirectLineError } from '../channels/directline/directline-error.js';
import type { OriginPolicy } from './directline-origin-policy.js';

/** A client whose unsent frames exceed this is too slow to keep; it reconnects and resumes by watermark. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const HEARTBEAT_MS = 30_000;

/**
 * Accepts WebSocket upgrades at `<pathPrefix><conversationId>/stream?t=<ticket>`: checks the Origin, redeems the
 * single-use ticket, then attaches the socket to the channel. Other upgrade paths are left to other listeners.
 */
export function attachDirectLineStreams(
  server: restify.Server,
  channel: DirectLineChannel,
  policy: OriginPolicy,
  pathPrefix: string,
  logger: Logger,
): { close(): Promise<void> } {
  // Clients only send "" keep-alives; anything bigger than a few KB is not a Direct Line client.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096, perMessageDeflate: false });
  const alive = new WeakSet<WebSocket>();

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith(pathPrefix) || !url.pathname.endsWith('/stream')) return;
    const conversationId = decodeURIComponent(url.pathname.slice(pathPrefix.length, -'/stream'.length));
    if (!policy.allows(req.headers.origin, req.headers.host)) return refuse(socket, 403, 'Forbidden');
    let watermark: number;
    try {
      watermark = channel.redeemStreamTicket(conversationId, url.searchParams.get('t') ?? undefined).watermark;
    } catch (error) {
      if (error instanceof DirectLineError) return refuse(socket, 403, 'Forbidden');
      logger.error({ err: error }, 'attachDirectLineStreams(): ticket check failed');
      return refuse(socket, 400, 'Bad Request');
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      alive.add(ws);
      ws.on('pong', () => alive.add(ws));
      ws.on('error', (error) => logger.debug({ err: error }, 'directline stream error'));
      const detach = channel.attachStream(conversationId, watermark, {
        send: (frame) => {
          if (ws.readyState !== WebSocket.OPEN) return;
          if (ws.bufferedAmount > MAX_BUFFERED_BYTES) ws.terminate();
          else ws.send(frame);
        },
        close: (code, reason) => ws.close(code, reason),
      });
      ws.once('close', detach);
    });
  };
  server.server.on('upgrade', onUpgrade);

  // One timer for all sockets: a socket that missed a whole interval of pongs is dead (e.g. a closed laptop).
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  return {
    close: async () => {
      clearInterval(heartbeat);
      server.server.off('upgrade', onUpgrade);
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
