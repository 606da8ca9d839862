import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { DirectLine, RecordingClient } from '../channels/helpers/directline-client.js';
import { request, TEST_SECRET } from '../channels/helpers/test-server.js';
import { pgTestSchema } from '../storage/pg-test-schema.js';
import { signIn } from './console-harness.js';

const pg = pgTestSchema();
const storages: ReadonlyArray<readonly [string, Record<string, string>]> = [
  ['SQLite', { STORAGE: 'sqlite' }],
  ['PostgreSQL', { STORAGE: 'postgres', DATABASE_URL: inject('databaseUrl'), DATABASE_SCHEMA: pg.schema }],
];
afterAll(() => pg.drop());

/** The real app on the given storage (files in `dataDir`), with its log lines captured. */
async function start(dataDir: string, storage: Record<string, string>): Promise<{ app: App; base: string; logs: Array<Record<string, unknown>> }> {
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  const config = parseConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    ...storage,
    DIRECTLINE_SECRET: TEST_SECRET,
    CONSOLE_ADMIN_USER: 'admin',
    CONSOLE_ADMIN_PASSWORD: '',
  });
  const app = await buildApp(config, { logger: pino({ level: 'info' }, sink) });
  const port = await app.listen();
  return { app, base: `http://127.0.0.1:${port}`, logs };
}

describe.each(storages)('console data survives a restart (%s)', (_name, storage) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'console-persist-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('generated admin password logged once; sessions, queue, case card, transcript and search persist', { timeout: 90_000 }, async () => {
    const first = await start(dataDir, storage);
    const generated = first.logs.find((l) => typeof l.password === 'string')?.password as string | undefined;
    expect(generated).toMatch(/^[A-Za-z0-9_-]{24}$/);

    const token = await request(`${first.base}/v3/directline/tokens/generate`, { token: TEST_SECRET, body: {} });
    const seller = new RecordingClient(new DirectLine({ domain: `${first.base}/v3/directline`, token: (token.body as { token: string }).token }));
    await seller.waitFor((a) => a.type === 'message' && a.from.role === 'bot', 'welcome', 20_000);
    await seller.say('我的店铺 zebra-shop-42 想关店', 'c-1');
    await seller.waitFor((a) => a.type === 'message' && a.from.role === 'bot' && a.replyToId !== undefined, 'answer', 20_000);
    await seller.say('我想找人工', 'c-2');
    const staff = await signIn(first.base, 'admin', generated!);
    await expect
      .poll(async () => ((await (await staff.get('/api/console/conversations?status=queued')).json()) as { conversations: unknown[] }).conversations.length, { timeout: 15_000 })
      .toBe(1);
    seller.end();
    await first.app.close();

    const second = await start(dataDir, storage);
    expect(second.logs.some((l) => 'password' in l)).toBe(false);
    const again = (path: string) => fetch(`${second.base}${path}`, { headers: { cookie: staff.cookie } });
    const queued = (await (await again('/api/console/conversations?status=queued')).json()) as {
      conversations: Array<{ conversationId: string; caseSummary: { reason: string } | null; queuePosition: number }>;
    };
    expect(queued.conversations).toHaveLength(1);
    expect(queued.conversations[0]).toMatchObject({ caseSummary: { reason: 'seller_request' }, queuePosition: 1 });
    const id = queued.conversations[0]!.conversationId;

    const detail = (await (await again(`/api/console/conversations/${encodeURIComponent(id)}`)).json()) as {
      transcript: Array<{ type: string; text?: string; intent?: string }>;
    };
    expect(detail.transcript.find((e) => e.text === '我想找人工')).toMatchObject({ intent: 'handoff.human' });
    const found = (await (await again('/api/console/conversations?q=zebra-shop-42')).json()) as { conversations: Array<{ conversationId: string }> };
    expect(found.conversations.map((c) => c.conversationId)).toEqual([id]);
    const none = (await (await again('/api/console/conversations?q=nothing-like-this')).json()) as { conversations: unknown[] };
    expect(none.conversations).toEqual([]);
    await second.app.close();
  });
});
