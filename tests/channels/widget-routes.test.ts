import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveChannelSecret } from '../../src/channels/directline/channel-secret.js';
import { localeText, request, startTestServer, type TestServer } from './helpers/test-server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ TOKEN_RATE_LIMIT_PER_MINUTE: '5' });
});
afterAll(async () => {
  await server.close();
});

describe('widget routes', () => {
  it('serves the demo page with a nonce CSP and the localized title, escaped', async () => {
    const res = await fetch(`${server.base}/?lang=en`);
    const html = await res.text();
    const csp = res.headers.get('content-security-policy') ?? '';
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='");
    expect(csp).not.toContain('unsafe-eval');
    expect(html).toContain(`<html lang="en">`);
    expect(html).toContain(`<title>${localeText('en', 'widget', 'page_title')}</title>`);
    expect(html).toContain(`nonce="${nonce}"`);
    expect(html).not.toMatch(/%%[A-Z_]+%%/);
    const zh = await (await fetch(`${server.base}/?lang=<script>`)).text();
    expect(zh).toContain('<html lang="zh-CN">');
  });

  it('serves a small embed snippet and the Web Chat bundle from the npm package, gzipped', async () => {
    const embed = await fetch(`${server.base}/embed.js`, { headers: { 'accept-encoding': 'identity' } });
    expect(embed.headers.get('content-type')).toContain('javascript');
    expect((await embed.arrayBuffer()).byteLength).toBeLessThan(8 * 1024);
    const res = await fetch(`${server.base}/webchat/webchat.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.status).toBe(200);
    const etag = res.headers.get('etag');
    expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
    const raw = await import('node:http').then(
      (http) =>
        new Promise<Buffer>((resolve) => {
          http.get(`${server.base}/webchat/webchat.js`, { headers: { 'accept-encoding': 'gzip' } }, (r) => {
            const chunks: Buffer[] = [];
            r.on('data', (c: Buffer) => chunks.push(c));
            r.on('end', () => resolve(Buffer.concat(chunks)));
          });
        }),
    );
    expect(gunzipSync(raw).toString('utf8', 0, 2000)).toMatch(/WebChat|webchat|function/);
    const cached = await fetch(`${server.base}/webchat/webchat.js`, { headers: { 'if-none-match': etag ?? '' } });
    expect(cached.status).toBe(304);
  });

  it('serves the widget strings of each locale', async () => {
    const res = await request(`${server.base}/api/widget/strings/en`);
    expect(res.body.open_button).toBe(localeText('en', 'widget', 'open_button'));
    expect((await request(`${server.base}/api/widget/strings/fr`)).status).toBe(404);
  });

  it('reads only JSON bodies on the token endpoint (multipart never reaches the disk)', async () => {
    const res = await request(`${server.base}/api/widget/token`, {
      rawBody: '--b\r\nContent-Disposition: form-data; name="f"; filename="x.txt"\r\n\r\nx\r\n--b--',
      headers: { 'content-type': 'multipart/form-data; boundary=b' },
    });
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('rate-limits page tokens per client with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 7; i++) {
      const res = await request(`${server.base}/api/widget/token`, { body: { locale: 'zh-CN' } });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // Without a trusted proxy, a client cannot escape its bucket by writing X-Forwarded-For itself.
    const spoofed = await request(`${server.base}/api/widget/token`, {
      body: { locale: 'zh-CN' },
      headers: { 'x-forwarded-for': '203.0.113.99' },
    });
    expect(spoofed.status).toBe(429);
  });
});

describe('token rate limit behind a reverse proxy (TRUSTED_PROXY_HOPS=1)', () => {
  let proxied: TestServer;
  beforeAll(async () => {
    proxied = await startTestServer({ TOKEN_RATE_LIMIT_PER_MINUTE: '2', TRUSTED_PROXY_HOPS: '1' });
  });
  afterAll(async () => {
    await proxied.close();
  });

  it('keys on the address the proxy appended, so clients behind one proxy get their own buckets', async () => {
    const token = async (forwardedFor: string): Promise<number> =>
      (await request(`${proxied.base}/api/widget/token`, { body: { locale: 'zh-CN' }, headers: { 'x-forwarded-for': forwardedFor } }))
        .status;
    expect([await token('203.0.113.1'), await token('203.0.113.1'), await token('203.0.113.1')]).toEqual([200, 200, 429]);
    expect(await token('203.0.113.2')).toBe(200);
    // What the client wrote before the proxy's entry is not trusted: this is still 203.0.113.1.
    expect(await token('198.51.100.7, 203.0.113.1')).toBe(429);
  });
});

describe('channel secret', () => {
  it('is generated once into DATA_DIR, so tokens survive a restart', async () => {
    const first = await startTestServer({ DIRECTLINE_SECRET: '' });
    const dataDir = first.dataDir;
    const g = await request(`${first.base}/api/widget/token`, { body: {} });
    await first.app.close();
    expect(resolveChannelSecret('', dataDir)).toBe(resolveChannelSecret('', dataDir));

    const second = await startTestServer({ DIRECTLINE_SECRET: '' }, dataDir);
    try {
      const refreshed = await request(`${second.domain}/tokens/refresh`, { method: 'POST', token: g.body.token });
      expect(refreshed.status).toBe(200);
      // The in-memory conversation is gone; the still-valid token starts it again under the same id.
      const started = await request(`${second.domain}/conversations`, { token: g.body.token, body: {} });
      expect(started.status).toBe(201);
      expect(started.body.conversationId).toBe(g.body.conversationId);
    } finally {
      await second.close();
      await first.close().catch(() => undefined);
    }
  });
});
