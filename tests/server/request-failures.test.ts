import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type restify from 'restify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../../src/server/create-server.js';
import { upgradeRouterOf } from '../../src/server/upgrade-router.js';
import { sendRaw } from '../fuzz/raw-http.js';

// An unexpected error ends its own request (5xx and a log line); the process is not asked to swallow anything.
const lines: Array<{ msg?: string; level?: number }> = [];
const logger = pino(
  { level: 'warn', base: undefined },
  new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString()) as { msg?: string });
      callback();
    },
  }),
);
let server: restify.Server;
let port: number;

beforeAll(async () => {
  server = createServer(logger);
  server.get('/boom-async', async () => {
    throw new Error('async handler failed');
  });
  server.get('/boom-sync', (_req, _res, _next) => {
    throw new Error('sync handler failed');
  });
  upgradeRouterOf(server.server, logger).route((path) => path === '/boom-socket', () => {
    throw new Error('upgrade handler failed');
  });
  upgradeRouterOf(server.server, logger).route((path) => path === '/boom-socket-async', async () => {
    throw new Error('async upgrade handler failed');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('an unexpected error in one request or socket', () => {
  it('answers that request 500, logs it, and the server keeps serving', async () => {
    const listeners = process.listenerCount('uncaughtException');
    for (const path of ['/boom-async', '/boom-sync']) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      expect(res.status).toBe(500);
    }
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect(lines.some((line) => /handler failed/.test(JSON.stringify(line)))).toBe(true);
    expect(process.listenerCount('uncaughtException')).toBe(listeners);
  });

  it('answers a failed WebSocket handshake 500 with a log line, and the server keeps serving', async () => {
    for (const target of ['/boom-socket', '/boom-socket-async']) {
      const response = await sendRaw(
        port,
        {
          method: 'GET',
          target,
          headers: [
            ['Upgrade', 'websocket'],
            ['Connection', 'Upgrade'],
          ],
        },
        10_000,
      );
      expect(response.status).toBe(500);
    }
    expect(lines.filter((line) => line.msg === 'UpgradeRouter: upgrade handler failed')).toHaveLength(2);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  });

  it('answers CONNECT (never served here) with 405 instead of dropping the socket', async () => {
    const response = await sendRaw(port, { method: 'CONNECT', target: 'example.com:443', headers: [] }, 10_000);
    expect(response.status).toBe(405);
  });
});
