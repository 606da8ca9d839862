import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import restify from 'restify';
import type { Logger } from '../logger.js';
import { MAX_JSON_DEPTH } from '../channels/json-depth.js';
import { bodyReader, type BodyReaderOptions } from './body-reader.js';
import { guardHandlers } from './guard-handlers.js';

/**
 * Body limits per route: small JSON for sign-in and tokens, one activity for Direct Line, the default (256 KB)
 * for /api/messages, where channels may send cards and entities.
 */
const BODY_LIMITS: BodyReaderOptions = {
  defaults: { maxBytes: 256 * 1024, maxDepth: MAX_JSON_DEPTH },
  routes: [
    { prefix: '/api/console/', limits: { maxBytes: 16 * 1024 } },
    { prefix: '/api/widget/', limits: { maxBytes: 8 * 1024 } },
    { prefix: '/v3/directline/tokens/', limits: { maxBytes: 8 * 1024 } },
    { prefix: '/v3/directline/', limits: { maxBytes: 64 * 1024 } },
  ],
};

/** The restify server with body parsing and the health route; features add their own routes. */
export function createServer(logger: Logger): restify.Server {
  // No process-wide catching (handleUncaughtExceptions uses domains); guardHandlers() keeps each error in its request.
  const server = restify.createServer({ name: 'cxt-aliexpress-bot', handleUncaughtExceptions: false });
  guardHandlers(server);
  server.use(restify.plugins.queryParser());
  server.use(bodyReader(logger, BODY_LIMITS));
  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'ok' });
  });
  // CONNECT (proxy tunnels) is not served here; without a listener Node would drop the socket without an answer.
  server.server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => socket.destroy());
    socket.end('HTTP/1.1 405 Method Not Allowed\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  server.on('restifyError', (req, _res, error, callback) => {
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    // A 5xx is our fault: logged as an error, with the stack.
    if (status >= 500) logger.error({ url: req.url, err: error }, error.message);
    else logger.warn({ url: req.url, code: (error as { code?: string }).code }, error.message);
    callback();
  });
  return server;
}
