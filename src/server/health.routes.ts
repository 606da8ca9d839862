import type restify from 'restify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppMetrics } from '../metrics/app-metrics.js';
import type { StorageReadiness } from '../storage/storage-readiness.js';
import { checkMetricsAccess, type MetricsAccess } from './metrics-access.js';

/** What the metrics and readiness handlers read. */
export interface HealthDeps {
  readonly metrics: AppMetrics;
  /** Storage answers and is migrated; false as well once the app is shutting down. */
  readonly readiness: () => StorageReadiness;
}

/** Plain node handlers, so the main restify server and the METRICS_PORT listener answer alike. */
export interface HealthHandlers {
  /** `GET /readyz`: 200 when ready to serve, 503 with the reasons otherwise (liveness stays `/healthz`). */
  readyz(res: ServerResponse): void;
  /** `GET /metrics`: Prometheus text format, subject to `access`. */
  metrics(req: IncomingMessage, res: ServerResponse, access: MetricsAccess): Promise<void>;
}

/** Builds the `/readyz` and `/metrics` handlers over one app's metrics and storage. */
export function healthHandlers(deps: HealthDeps): HealthHandlers {
  return {
    readyz(res) {
      const { ready, problems } = deps.readiness();
      sendJson(res, ready ? 200 : 503, ready ? { status: 'ready' } : { status: 'not_ready', problems });
    },
    async metrics(req, res, access) {
      const status = checkMetricsAccess(access, req.headers.authorization);
      if (status === 404) return sendJson(res, 404, { code: 'ResourceNotFound', message: `${req.url ?? ''} does not exist` });
      if (status === 401) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
        return sendJson(res, 401, { code: 'METRICS_UNAUTHORIZED', message: 'Send Authorization: Bearer <METRICS_TOKEN>.' });
      }
      const { contentType, body } = await deps.metrics.scrape();
      res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
      res.end(body);
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

/**
 * Adds `/readyz` and `/metrics` to the main server, and counts its 5xx answers as `http` errors.
 * @param access METRICS_TOKEN's rule for this port (hidden without a token).
 */
export function registerHealthRoutes(
  server: restify.Server,
  handlers: HealthHandlers,
  access: MetricsAccess,
  onServerError: () => void,
): void {
  server.get('/readyz', async (_req, res) => handlers.readyz(res));
  server.get('/metrics', async (req, res) => handlers.metrics(req, res, access));
  server.on('after', (_req: restify.Request, res: restify.Response) => {
    if (res.statusCode >= 500) onServerError();
  });
}
