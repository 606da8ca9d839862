import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { createSqliteStores } from '../../src/storage/create-sqlite-stores.js';
import { ServerProcess } from '../durability/server-process.js';
import { sendRaw, type RawRequest } from '../fuzz/raw-http.js';

// Each reproducer of issue 10 against the real server process: a crash shows as a dead process, a hang as a
// time-out. The data dir starts out holding a message nested 1,500 levels, stored before input limits existed.
const SECRET = 'hostile.secret-with.dots-0123456789';
const DEEP = (levels: number): string => '['.repeat(levels) + ']'.repeat(levels);

let server: ServerProcess;
let port: number;
let dataDir: string;
let tempDir: string;

const upgrade = (target: string): RawRequest => ({
  method: 'GET',
  target,
  headers: [
    ['Upgrade', 'websocket'],
    ['Connection', 'Upgrade'],
    ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='],
    ['Sec-WebSocket-Version', '13'],
  ],
});
const post = (target: string, body: Buffer | string, headers: Array<[string, string]>): RawRequest => ({
  method: 'POST',
  target,
  headers,
  body: Buffer.from(body),
});
const JSON_GZIP: Array<[string, string]> = [
  ['Content-Type', 'application/json'],
  ['Content-Encoding', 'gzip'],
];

async function startServer(): Promise<void> {
  server = await ServerProcess.start({ DATA_DIR: dataDir, TMPDIR: tempDir, STORAGE: 'sqlite', LOG_LEVEL: 'warn', DIRECTLINE_SECRET: SECRET });
  port = Number(new URL(server.baseUrl).port);
}

async function conversation(): Promise<{ url: string; headers: Record<string, string> }> {
  const res = await fetch(`${server.baseUrl}/v3/directline/tokens/generate`, { method: 'POST', headers: { authorization: `Bearer ${SECRET}` } });
  expect(res.status).toBe(200);
  const { conversationId, token } = (await res.json()) as { conversationId: string; token: string };
  return {
    url: `${server.baseUrl}/v3/directline/conversations/${conversationId}/activities`,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'hostile-data-'));
  tempDir = mkdtempSync(join(tmpdir(), 'hostile-tmp-'));
  const stores = createSqliteStores(dataDir, createLogger('silent'));
  await stores.conversations.createConversation({ id: 'old', userId: 'dl_u1', locale: 'zh-CN', createdAt: new Date().toISOString() });
  await stores.conversations.append('old', [{
    type: 'message',
    channelId: 'directline',
    conversation: { id: 'old', isGroup: false, conversationType: 'personal', name: '' },
    from: { id: 'dl_u1', name: '', role: 'user' },
    text: 'deep',
    value: JSON.parse(DEEP(1500)),
  }], Date.now(), true);
  stores.close();
  await startServer();
}, 120_000);

afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(tempDir, { recursive: true, force: true });
});

describe('hostile input against the server process', () => {
  it('starts and serves on a data dir that holds a message SQLite cannot read (it used to stop start-up for good)', async () => {
    const { url, headers } = await conversation();
    const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ type: 'message', text: '菜单' }) });
    expect(res.status).toBe(200);
  });

  it('answers every WebSocket upgrade it does not serve, with 400 or 404, and keeps running', async () => {
    const cases: Array<[string, number]> = [
      ['/v3/directline/conversations/%E0%A4%A/stream', 400],
      ['/v3/directline/conversations/%/stream', 400],
      ['//', 404],
      ['/healthz', 404],
      ['/', 404],
      ['/v3/directline/conversations/x/STREAM', 404],
      ['/v3/directline/conversations/x/stream/', 404],
      ['/v3/directline/conversations/x/stream?t=forged', 403],
    ];
    for (const [target, status] of cases) {
      const response = await sendRaw(port, upgrade(target), 15_000);
      expect({ target, status: response.status, timedOut: response.timedOut }).toEqual({ target, status, timedOut: false });
    }
    expect(server.isRunning()).toBe(true);
  });

  it('refuses broken, truncated and bomb gzip bodies, uploads and non-JSON types on every POST route, before storing anything', async () => {
    const bomb = gzipSync(Buffer.alloc(250 * 1024 * 1024), { level: 9 });
    const multipart = `--B\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n\r\n${'z'.repeat(5 * 1024 * 1024)}\r\n--B--\r\n`;
    const routes = ['/api/messages', '/api/widget/token', '/api/console/login', '/v3/directline/conversations'];
    for (const route of routes) {
      const cases: Array<[string, RawRequest, number]> = [
        ['not gzip', post(route, 'x', JSON_GZIP), 400],
        ['truncated gzip', post(route, gzipSync('{"type":"message","text":"hello"}').subarray(0, 12), JSON_GZIP), 400],
        ['gzip bomb', post(route, bomb, JSON_GZIP), 413],
        ['zstd', post(route, '{}', [['Content-Type', 'application/json'], ['Content-Encoding', 'zstd']]), 415],
        ['multipart', post(route, multipart, [['Content-Type', 'multipart/form-data; boundary=B']]), 415],
        ['text/csv', post(route, 'a,b\n1,2', [['Content-Type', 'text/csv']]), 415],
        ['text/tsv', post(route, 'a\tb', [['Content-Type', 'text/tsv']]), 415],
        ['bad JSON', post(route, '{"type":', [['Content-Type', 'application/json']]), 400],
        ['deep JSON', post(route, DEEP(2000), [['Content-Type', 'application/json']]), 400],
      ];
      for (const [label, request, status] of cases) {
        const response = await sendRaw(port, request, 20_000);
        expect({ route, label, status: response.status }).toEqual({ route, label, status });
        expect(response.text).toMatch(/"code":"[A-Z_]+","message":"[^"]+"/);
      }
    }
    expect(readdirSync(tempDir).filter((name) => !name.startsWith('tsx-'))).toEqual([]);
    expect(server.isRunning()).toBe(true);
  }, 120_000);

  it('refuses activities nested past the limit (value, channelData, entities) with 400 before they are stored', async () => {
    const { url, headers } = await conversation();
    const bodies = [
      `{"type":"message","text":"v","value":${DEEP(1500)}}`,
      `{"type":"message","text":"c","channelData":{"a":${DEEP(1500)}}}`,
      `{"type":"message","text":"e","entities":[{"type":"x","v":${DEEP(1500)}}]}`,
      `{"type":"message","text":"v","value":${DEEP(70)}}`,
    ];
    for (const body of bodies) {
      const res = await fetch(url, { method: 'POST', headers, body });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(/nested deeper than 64 levels/);
    }
    const history = (await (await fetch(url, { headers })).json()) as { activities: Array<{ text?: string }> };
    expect(history.activities.filter((a) => ['v', 'c', 'e'].includes(a.text ?? ''))).toEqual([]);
    const bf = await fetch(`${server.baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"type":"message","channelId":"emulator","serviceUrl":"http://127.0.0.1:9/","conversation":{"id":"c"},"from":{"id":"u"},"recipient":{"id":"b"},"value":${DEEP(1500)}}`,
    });
    expect(bf.status).toBe(400);
  });

  it('starts again after a crash on the data dir that took all of the above', async () => {
    await server.kill();
    await startServer();
    const res = await fetch(`${server.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    const { url, headers } = await conversation();
    expect((await fetch(url, { method: 'POST', headers, body: JSON.stringify({ type: 'message', text: 'menu' }) })).status).toBe(200);
  }, 120_000);
});
