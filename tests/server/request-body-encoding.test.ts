import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../channels/helpers/test-server.js';

describe('request bodies with a Content-Encoding', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  const post = (path: string, headers: Record<string, string>, body: string | Uint8Array<ArrayBuffer>) =>
    fetch(`${server.base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('answers 415 to a corrupt gzip body and keeps serving (restify 12 would crash the process)', async () => {
    for (const path of ['/api/widget/token', '/api/messages', '/api/console/login']) {
      const res = await post(path, { 'content-encoding': 'gzip' }, 'this is not gzip');
      expect(res.status).toBe(415);
      expect(((await res.json()) as { code: string }).code).toBe('UNSUPPORTED_CONTENT_ENCODING');
    }
    expect((await fetch(`${server.base}/healthz`)).status).toBe(200);
  });

  it('refuses a valid gzip body too, and accepts a body without Content-Encoding', async () => {
    const body = JSON.stringify({ locale: 'zh-CN' });
    expect((await post('/api/widget/token', { 'content-encoding': 'gzip' }, Uint8Array.from(gzipSync(body)))).status).toBe(415);
    expect((await post('/api/widget/token', {}, body)).status).toBe(200);
  });
});
