import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type restify from 'restify';
import { WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../logger.js';
import type { DirectLineChannel, StreamSink } from '../channels/directline/directline-channel.js';
import { DirectLineError } from '../channels/directline/directline-error.js';
import type { OriginPolicy } from './directline-origin-policy.js';
import { decodePathSegment, refuseUpgrade, upgradeRouterOf, type UpgradeTarget } from './upgrade-router.js';

/** A client whose unsent frames exceed this is too slow to keep; it reconnects and resumes by watermark. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** Options of {@link attachDirectLineStreams}. */
export interface DirectLineStreamOptions {
  /** Ping interval; a socket that answered none of the pings of a whole interval is closed (ms). */
  readonly heartbeatMs: number;
}

/** Defaults of {@link DirectLineStreamOptions}. */
export const DIRECTLINE_STREAM_DEFAULTS: DirectLineStreamOptions = Object.freeze({ heartbeatMs: 30_000 });

/**
 * One open stream, the channel's sink for it. Its methods live on the prototype and the socket's listeners are
 * shared by all sockets: an idle conversation keeps this object, not a set of closures (thousands stay open).
 */
class WebSocketSink implements StreamSink {
  /** Answered a ping (or just opened) since the last heartbeat. */
  alive = true;
  /** Detaches the stream from the channel; set once the channel has it. */
  detach: () => void = () => undefined;

  constructor(readonly socket: WebSocket) {}

  send(frame: string): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) this.socket.terminate();
    else this.socket.send(frame);
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }
}

/**
 * Accepts WebSocket upgrades at `<pathPrefix><conversationId>/stream?t=<ticket>`: checks the Origin, redeems the
 * single-use ticket, then attaches the socket to the channel. Routed by the server's {@link upgradeRouterOf}.
 */
export function attachDirectLineStreams(
  server: restify.Server,
  channel: DirectLineChannel,
  policy: OriginPolicy,
  pathPrefix: string,
  logger: Logger,
  options: DirectLineStreamOptions = DIRECTLINE_STREAM_DEFAULTS,
): { close(): Promise<void> } {
  // Clients only send "" keep-alives; anything bigger than a few KB is not a Direct Line client.
  // The open sockets are tracked here (the server's own tracking would add a closure per socket).
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096, perMessageDeflate: false, clientTracking: false });
  const sinks = new Map<WebSocket, WebSocketSink>();

  function onPong(this: WebSocket): void {
    const sink = sinks.get(this);
    if (sink) sink.alive = true;
  }
  function onError(this: WebSocket, error: Error): void {
    logger.debug({ err: error }, 'directline stream error');
  }
  function onClose(this: WebSocket): void {
    const sink = sinks.get(this);
    if (!sink) return;
    sinks.delete(this);
    sink.detach();
  }

  // Exactly `<prefix><id>/stream`: other casings, trailing slashes and deeper paths are someone else's (or a 404).
  const isStreamPath = (pathname: string): boolean =>
    pathname.startsWith(pathPrefix) && /^[^/]+\/stream$/.test(pathname.slice(pathPrefix.length));
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer, target: UpgradeTarget): void => {
    const conversationId = decodePathSegment(target.pathname.slice(pathPrefix.length, -'/stream'.length));
    if (conversationId === undefined) return refuseUpgrade(socket, 400);
    if (!policy.allows(req.headers.origin, req.headers.host)) return refuseUpgrade(socket, 403);
    let watermark: number;
    try {
      watermark = channel.redeemStreamTicket(conversationId, target.query.get('t') ?? undefined).watermark;
    } catch (error) {
      if (error instanceof DirectLineError) return refuseUpgrade(socket, 403);
      logger.error({ err: error }, 'attachDirectLineStreams(): ticket check failed');
      return refuseUpgrade(socket, 400);
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const sink = new WebSocketSink(ws);
      sinks.set(ws, sink);
      ws.on('pong', onPong);
      ws.on('error', onError);
      ws.on('close', onClose);
      // attachStream may close the sink at once (server shutting down): then 'close' comes later, detach is set.
      sink.detach = channel.attachStream(conversationId, watermark, sink);
    });
  };
  const unroute = upgradeRouterOf(server.server, logger).route(isStreamPath, onUpgrade);

  // One timer for all sockets: a socket that missed a whole interval of pongs is dead (e.g. a closed laptop).
  const heartbeat = setInterval(() => {
    for (const sink of sinks.values()) {
      if (!sink.alive) {
        sink.socket.terminate();
        continue;
      }
      sink.alive = false;
      sink.socket.ping();
    }
  }, options.heartbeatMs);
  heartbeat.unref();

  return {
    close: async () => {
      clearInterval(heartbeat);
      unroute();
      for (const ws of sinks.keys()) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
