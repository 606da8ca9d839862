import { createServer, type Server } from 'node:http';
import type { Logger } from '../logger.js';
import type { HealthHandlers } from './health.routes.js';
import type { MetricsAccess } from './metrics-access.js';

/** The METRICS_PORT listener: `/metrics` and `/readyz` only, apart from the public port. */
export interface MetricsListener {
  /** The bound port (METRICS_PORT, or the one the OS chose for 0 in tests). */
  readonly port: number;
  close(): Promise<void>;
}

/** Starts the separate metrics listener on `host:port`; rejects when the port cannot be bound. */
export function startMetricsListener(
  handlers: HealthHandlers,
  access: MetricsAccess,
  host: string,
  port: number,
  logger: Logger,
): Promise<MetricsListener> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const found = req.method === 'GET' || req.method === 'HEAD' ? path : '';
    if (found === '/readyz') return handlers.readyz(res);
    if (found === '/metrics') {
      return void handlers.metrics(req, res, access).catch((error: unknown) => {
        logger.error({ err: error }, 'metrics listener: scrape failed');
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    }
    res.writeHead(404, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ code: 'ResourceNotFound', message: `${path} does not exist` }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
