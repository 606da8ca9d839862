import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { buildApp, type App } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { DirectLine, RecordingClient } from '../channels/helpers/directline-client.js';
import { request, TEST_SECRET } from '../channels/helpers/test-server.js';
import { signIn } from '../console/console-harness.js';
import { pgTestSchema } from '../storage/pg-test-schema.js';

interface LiveMessage {
  type: string;
  truncated?: boolean;
  conversationId?: string;
  conversation?: { conversationId: string; handoffState: string };
  activity?: { id: string; text?: string };
}

const pg = pgTestSchema();
const dirs: string[] = [];
afterAll(async () => {
  await pg.drop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** One instance of the bot behind the load balancer: PostgreSQL shared, its own data folder and port. */
async function startInstance(): Promise<{ app: App; base: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'cluster-instance-'));
  dirs.push(dir);
  const config = parseConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    DATA_DIR: dir,
    STORAGE: 'postgres',
    DATABASE_URL: inject('databaseUrl'),
    DATABASE_SCHEMA: pg.schema,
    DIRECTLINE_SECRET: TEST_SECRET,
    CONSOLE_ADMIN_USER: 'admin',
    CONSOLE_ADMIN_PASSWORD: 'admin-password-1',
  });
  const app = await buildApp(config);
  return { app, base: `http://127.0.0.1:${await app.listen()}` };
}

/** A signed-in console's live socket on `base`, collecting every event. */
async function consoleLive(base: string): Promise<{ ws: WebSocket; received: LiveMessage[] }> {
  const staff = await signIn(base, 'admin', 'admin-password-1');
  const ws = new WebSocket(`${base.replace('http', 'ws')}/api/console/live`, { headers: { cookie: staff.cookie, Origin: base } });
  const received: LiveMessage[] = [];
  ws.on('message', (data) => received.push(JSON.parse(String(data)) as LiveMessage));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, received };
}

describe('console live view across instances (two apps on one PostgreSQL schema)', () => {
  it('a console on instance B sees the conversation a seller started on instance A, each line once, long text shortened', { timeout: 90_000 }, async () => {
    const a = await startInstance();
    const b = await startInstance();
    try {
      const onB = await consoleLive(b.base);
      const onA = await consoleLive(a.base);

      const token = await request(`${a.base}/v3/directline/tokens/generate`, { token: TEST_SECRET, body: {} });
      const seller = new RecordingClient(new DirectLine({ domain: `${a.base}/v3/directline`, token: (token.body as { token: string }).token }));
      await seller.waitFor((x) => x.type === 'message' && x.from.role === 'bot', 'welcome', 20_000);
      await seller.say('我的店铺 zebra-shop-42 想关店', 'm-1');
      const long = '我的诚信通账号和速卖通店铺绑定了，想解绑。'.repeat(380); // 7,980 characters, ~24 KB
      await seller.say(long, 'm-2');
      await seller.waitFor((x) => x.type === 'message' && x.from.role === 'bot' && x.replyToId !== undefined, 'answer', 20_000);

      const sellerLine = (received: LiveMessage[], text: (t: string) => boolean) =>
        received.filter((e) => e.type === 'activity' && typeof e.activity?.text === 'string' && text(e.activity.text));
      await expect.poll(() => sellerLine(onB.received, (t) => t === '我的店铺 zebra-shop-42 想关店').length, { timeout: 15_000 }).toBe(1);
      const conversationId = sellerLine(onB.received, (t) => t === '我的店铺 zebra-shop-42 想关店')[0]!.conversationId!;
      expect(onB.received.some((e) => e.type === 'conversation' && e.conversation?.conversationId === conversationId)).toBe(true);

      // The long message: whole on A's console, shortened and flagged on B's, and once on each.
      await expect.poll(() => sellerLine(onB.received, (t) => long.startsWith(t.slice(0, -1)) && t.length > 100).length, { timeout: 15_000 }).toBe(1);
      const shortened = sellerLine(onB.received, (t) => long.startsWith(t.slice(0, -1)) && t.length > 100)[0]!;
      expect(shortened.truncated).toBe(true);
      expect(shortened.activity!.text!.endsWith('…')).toBe(true);
      await expect.poll(() => sellerLine(onA.received, (t) => t === long).length).toBe(1);
      expect(onA.received.some((e) => e.truncated)).toBe(false);

      // Nothing doubled by the round trip through PostgreSQL: each activity id once per console.
      await new Promise((resolve) => setTimeout(resolve, 300));
      for (const { received } of [onA, onB]) {
        const ids = received.filter((e) => e.type === 'activity').map((e) => `${e.conversationId}/${e.activity!.id}`);
        expect(new Set(ids).size).toBe(ids.length);
      }
      seller.end();
      onA.ws.close();
      onB.ws.close();
    } finally {
      await a.app.close();
      await b.app.close();
    }
  });
});
