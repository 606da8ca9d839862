import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { loadLocaleResources } from '../../src/i18n/load-locales.js';
import { createTranslator } from '../../src/i18n/create-i18n.js';
import { ROOT_DIR } from '../../src/app.js';

const t = createTranslator(loadLocaleResources(join(ROOT_DIR, 'locales'))).forLocale('zh-CN');

/** A stand-in Bot Framework connector: records what the bot posts back to the conversation. */
function startConnector(): Promise<{ server: Server; url: string; replies: Record<string, unknown>[] }> {
  const replies: Record<string, unknown>[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      if (body) replies.push(JSON.parse(body) as Record<string, unknown>);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `r${replies.length}` }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      resolve({ server, url: `http://127.0.0.1:${address.port}`, replies });
    }),
  );
}

describe('POST /api/messages (standard Bot Framework endpoint, anonymous mode for the Emulator)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'api-messages-'));
  let app: App;
  let base: string;
  let connector: Awaited<ReturnType<typeof startConnector>>;

  beforeAll(async () => {
    connector = await startConnector();
    app = await buildApp(parseConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', DATA_DIR: dataDir, BOT_FRAMEWORK_ANONYMOUS: 'true' }));
    base = `http://127.0.0.1:${await app.listen()}`;
  });

  afterAll(async () => {
    await app.close();
    connector.server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers a seller message through the connector, like the Emulator sees it', async () => {
    const response = await fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: 'm1',
        text: '诚信通能一键解绑速卖通吗',
        locale: 'zh-CN',
        channelId: 'emulator',
        serviceUrl: connector.url,
        conversation: { id: 'conv-1' },
        from: { id: 'seller-1', role: 'user' },
        recipient: { id: 'bot' },
      }),
    });
    expect(response.status).toBeLessThan(300);
    const texts = connector.replies.filter((r) => r['type'] === 'message').map((r) => String(r['text']));
    expect(texts[0]).toContain(t('answers:faq.one_click_unbind'));
  });

  it('rejects a body that is not an activity with 400, not 500', async () => {
    const response = await fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"hello":',
    });
    expect(response.status).toBe(400);
  });

  it.each([
    ['no channelId', { type: 'message', text: 'hi', serviceUrl: 'http://127.0.0.1:9', conversation: { id: 'c' }, from: { id: 'u' }, recipient: { id: 'b' } }, 'channelId'],
    ['no conversation', { type: 'message', channelId: 'emulator', serviceUrl: 'http://127.0.0.1:9', from: { id: 'u' }, recipient: { id: 'b' } }, 'conversation'],
    ['a serviceUrl that is not a URL', { type: 'message', channelId: 'emulator', serviceUrl: 'nope', conversation: { id: 'c' }, from: { id: 'u' }, recipient: { id: 'b' } }, 'serviceUrl'],
    ['an array', [], '(body)'],
  ])('rejects an activity with %s with 400 naming the field', async (_what, body, field) => {
    const response = await fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toContain(field);
  });

  it('GET /healthz', async () => {
    const response = await fetch(`${base}/healthz`);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});
