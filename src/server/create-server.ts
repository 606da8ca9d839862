import restify from 'restify';
import type { Logger } from '../logger.js';

/** The restify server with body parsing and the health route; features add their own routes. */
export function createServer(logger: Logger): restify.Server {
  const server = restify.createServer({ name: 'cxt-aliexpress-bot', handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser());
  server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false }));
  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'ok' });
  });
  server.on('restifyError', (req, _res, error, callback) => {
    logger.warn({ url: req.url, code: (error as { code?: string }).code }, error.message);
    callback();
  });
  return server;
}
