import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { request, startTestServer, type TestServer } from './helpers/test-server.js';

const ALLOWED = 'http://shop.example';
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ ALLOWED_ORIGINS: `${ALLOWED}, http://other.example` });
});
afterAll(async () => {
  await server.close();
});

async function streamUrl(): Promise<string> {
  const g = await request(`${server.domain}/tokens/generate`, { token: server.secret, body: {} });
  const res = await request(`${server.domain}/conversations/${g.body.conversationId}`, { token: g.body.token });
  return res.body.streamUrl as string;
}

function openStatus(url: string, origin?: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', () => undefined);
  });
}

describe('origins', () => {
  it('answers CORS preflights for allowed origins and refuses others', async () => {
    const ok = await request(`${server.domain}/conversations`, {
      method: 'OPTIONS',
      headers: { origin: ALLOWED, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(ok.headers.get('access-control-allow-headers')).toContain('x-ms-bot-agent');
    const evil = await request(`${server.domain}/conversations`, { method: 'OPTIONS', headers: { origin: 'http://evil.example' } });
    expect(evil.status).toBe(403);
    const token = await request(`${server.base}/api/widget/token`, { body: {}, headers: { origin: 'http://evil.example' } });
    expect(token.status).toBe(403);
    expect(token.body.code).toBe('ORIGIN_NOT_ALLOWED');
  });

  it('adds CORS headers to real calls from allowed origins', async () => {
    const res = await request(`${server.base}/api/widget/token`, { body: {}, headers: { origin: ALLOWED } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
  });

  it('checks Origin on WebSocket upgrade: own origin, allowed origins and non-browsers pass', async () => {
    expect(await openStatus(await streamUrl(), 'http://evil.example')).toBe(403);
    expect(await openStatus(await streamUrl(), ALLOWED)).toBe(101);
    expect(await openStatus(await streamUrl(), server.base)).toBe(101);
    expect(await openStatus(await streamUrl())).toBe(101);
  });

  it('refuses a stream ticket on another conversation path', async () => {
    const url = await streamUrl();
    const g = await request(`${server.domain}/tokens/generate`, { token: server.secret, body: {} });
    const other = url.replace(/conversations\/[^/]+\/stream/, `conversations/${g.body.conversationId}/stream`);
    expect(await openStatus(other)).toBe(403);
    expect(await openStatus(url.replace(/t=[^&]+/, 't=forged'))).toBe(403);
  });
});
