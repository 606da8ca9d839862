import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ROOT_DIR } from '../../src/app.js';
import { startTestServer, type TestServer } from '../channels/helpers/test-server.js';

/** The nginx server block README.md documents (the first ```nginx fence). */
const README = readFileSync(join(ROOT_DIR, 'README.md'), 'utf8');
const NGINX = /```nginx\n([\s\S]*?)```/.exec(README)?.[1] ?? '';
const SITE = 'bot.example.com';

/**
 * The headers nginx sends upstream for a request from `clientIp`, by evaluating the block's `proxy_set_header`
 * lines (the variables they use, as nginx defines them; a header whose value is empty is not sent).
 */
function headersNginxSends(clientIp: string, upgrade: string | undefined): Record<string, string> {
  const variables: Record<string, string> = {
    $host: SITE,
    $scheme: 'https',
    $remote_addr: clientIp,
    // The client sent no X-Forwarded-For of its own.
    $proxy_add_x_forwarded_for: clientIp,
    $http_upgrade: upgrade ?? '',
    // The block's `map $http_upgrade $connection_upgrade`.
    $connection_upgrade: upgrade ? 'upgrade' : 'close',
  };
  const headers: Record<string, string> = {};
  for (const [, name, value] of NGINX.matchAll(/^\s*proxy_set_header\s+(\S+)\s+(\S+);/gm)) {
    const evaluated = value!.replace(/\$[a-z_]+/g, (variable) => {
      if (!(variable in variables)) throw new Error(`headersNginxSends(): unknown nginx variable ${variable}`);
      return variables[variable]!;
    });
    if (evaluated !== '') headers[name!.toLowerCase()] = evaluated;
  }
  return headers;
}

/** A JSON request with exactly these headers (fetch would replace Host, which nginx sets). */
function send(url: string, headers: Record<string, string>, body: unknown): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = httpRequest(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

describe("README's nginx block, sent to our server as nginx would (TRUSTED_PROXY_HOPS=1)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ TRUSTED_PROXY_HOPS: '1', TOKEN_RATE_LIMIT_PER_MINUTE: '2' });
  });
  afterAll(async () => {
    await server.close();
  });

  it('proxies WebSocket upgrades over HTTP/1.1 and tells the bot the host, scheme and client', () => {
    expect(NGINX).toMatch(/map \$http_upgrade \$connection_upgrade \{\s*default upgrade;\s*'' +close;\s*\}/);
    expect(NGINX).toContain('proxy_http_version 1.1;');
    expect(NGINX).toContain('proxy_pass http://127.0.0.1:3978;');
    expect(headersNginxSends('203.0.113.7', 'websocket')).toMatchObject({
      host: SITE,
      'x-forwarded-for': '203.0.113.7',
      'x-forwarded-proto': 'https',
      upgrade: 'websocket',
      connection: 'upgrade',
    });
    expect(README).toMatch(/run the bot with `TRUSTED_PROXY_HOPS=1`/);
  });

  it('gives the browser a wss:// stream URL on the public host, and accepts the upgrade with those headers', async () => {
    const page = { ...headersNginxSends('203.0.113.7', undefined), origin: `https://${SITE}` };
    const widget = await send(`${server.base}/api/widget/token`, page, { locale: 'zh-CN' });
    expect(widget.status).toBe(200);
    const started = await send(`${server.domain}/conversations`, { ...page, authorization: `Bearer ${widget.body.token}` }, {});
    expect(started.status).toBe(201);
    const streamUrl = new URL(started.body.streamUrl as string);
    expect(streamUrl.protocol).toBe('wss:');
    expect(streamUrl.host).toBe(SITE);

    // nginx connects to the upstream address with the public Host and the browser's Origin.
    const upstream = `ws://127.0.0.1:${server.port}${streamUrl.pathname}${streamUrl.search}`;
    const { upgrade: _u, connection: _c, ...forwarded } = headersNginxSends('203.0.113.7', 'websocket');
    const socket = new WebSocket(upstream, { headers: forwarded, origin: `https://${SITE}` });
    try {
      const firstFrame = await new Promise<string>((resolve, reject) => {
        socket.on('message', (data) => resolve(String(data)));
        socket.on('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
        socket.on('error', reject);
      });
      const frame = JSON.parse(firstFrame) as { activities: { type: string; from: { role?: string } }[] };
      expect(frame.activities.some((a) => a.type === 'message' && a.from.role === 'bot')).toBe(true);
    } finally {
      socket.close();
    }
  });

  it('rate-limits widget tokens per client address behind the one proxy, not per proxy', async () => {
    const from = (ip: string) => ({ ...headersNginxSends(ip, undefined), origin: `https://${SITE}` });
    // 203.0.113.7 used one of its two tokens in the previous test.
    const token = (ip: string) => send(`${server.base}/api/widget/token`, from(ip), {});
    expect((await token('203.0.113.7')).status).toBe(200);
    expect((await token('203.0.113.7')).status).toBe(429);
    expect((await token('198.51.100.9')).status).toBe(200);
  });
});
