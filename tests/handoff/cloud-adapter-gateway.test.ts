import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localeText, startTestServer, type TestServer } from '../channels/helpers/test-server.js';
import { signIn, type StaffClient } from '../console/console-harness.js';

/** Activities the bot sent to the fake Emulator, in order. */
interface Received {
  readonly type: string;
  readonly text?: string;
  readonly from?: { id: string; name?: string };
}

const zh = (ns: string, key: string) => localeText('zh-CN', ns, key);

describe('handoff on an /api/messages channel (Emulator), through the CloudAdapter gateway', () => {
  let server: TestServer;
  let emulator: Server;
  let serviceUrl: string;
  let staff: StaffClient;
  const received: Received[] = [];
  let counter = 0;

  beforeAll(async () => {
    // The Emulator's side of the protocol: the bot POSTs its replies to {serviceUrl}/v3/conversations/{id}/activities[/{replyTo}].
    emulator = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += String(chunk)));
      req.on('end', () => {
        if (req.method === 'POST' && /^\/v3\/conversations\/[^/]+\/activities/.test(req.url ?? '')) {
          received.push(JSON.parse(body) as Received);
          counter += 1;
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ id: `emu-${counter}` }));
          return;
        }
        res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => emulator.listen(0, '127.0.0.1', resolve));
    serviceUrl = `http://127.0.0.1:${(emulator.address() as AddressInfo).port}`;
    server = await startTestServer({ CONSOLE_ADMIN_PASSWORD: 'admin-password-1', BOT_FRAMEWORK_ANONYMOUS: 'true' });
    staff = await signIn(server.base, 'admin', 'admin-password-1');
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await new Promise((resolve) => emulator?.close(resolve));
  });

  const say = async (text: string): Promise<void> => {
    counter += 1;
    const res = await fetch(`${server.base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: `in-${counter}`,
        text,
        locale: 'zh-CN',
        channelId: 'emulator',
        serviceUrl,
        timestamp: new Date().toISOString(),
        conversation: { id: 'emu-conversation-1' },
        from: { id: 'seller-1', name: 'Seller', role: 'user' },
        recipient: { id: 'bot', name: 'Bot', role: 'bot' },
      }),
    });
    expect(res.status).toBeLessThan(300);
  };
  const texts = () => received.filter((a) => a.type === 'message').map((a) => a.text ?? '');

  it('takes over, replies under the agent name, silences the bot, hands back', { timeout: 60_000 }, async () => {
    await say('我想找人工');
    await expect.poll(texts, { timeout: 10_000 }).toContainEqual(expect.stringContaining(zh('handoff', 'queue.position').split('{{')[0]!));

    const taken = await staff.post('/api/console/conversations/emu-conversation-1/takeover');
    expect(taken.status).toBe(200);
    await expect.poll(texts, { timeout: 10_000 }).toContain(zh('escalation', 'accepted').replace('{{name}}', 'admin'));

    const sent = await staff.post('/api/console/conversations/emu-conversation-1/messages', { text: '您好，我是 admin' });
    expect(sent.status).toBe(201);
    await expect.poll(() => received.find((a) => a.text === '您好，我是 admin')?.from, { timeout: 10_000 }).toMatchObject({ id: 'agent:admin', name: 'admin' });

    const before = received.length;
    await say('收到了吗');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(received.length).toBe(before);

    expect((await staff.post('/api/console/conversations/emu-conversation-1/release')).status).toBe(200);
    await expect.poll(texts, { timeout: 10_000 }).toContain(zh('escalation', 'back_to_bot'));

    const detail = (await (await staff.get('/api/console/conversations/emu-conversation-1')).json()) as {
      transcript: Array<{ type: string; name?: string; text?: string; value?: { state?: string } }>;
    };
    expect(detail.transcript).toContainEqual(expect.objectContaining({ text: '收到了吗' }));
    expect(detail.transcript).toContainEqual(expect.objectContaining({ text: '您好，我是 admin' }));
    expect(detail.transcript.filter((e) => e.name === 'handoff.status').map((e) => e.value?.state)).toEqual(['accepted', 'completed']);
  });
});
