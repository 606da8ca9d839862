import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startTestServer, type TestServer } from '../channels/helpers/test-server.js';

/** A stand-in channel connector on loopback: records every call the bot makes; `hang` never answers. */
async function startConnector(hang = false): Promise<{ server: Server; url: string; calls: string[]; close(): Promise<void> }> {
  const calls: string[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      calls.push(body);
      if (hang) return;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `r${calls.length}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function activity(serviceUrl: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'message',
    id: `m-${Math.random().toString(36).slice(2)}`,
    text: '诚信通能一键解绑速卖通吗',
    locale: 'zh-CN',
    channelId: 'emulator',
    serviceUrl,
    conversation: { id: 'emu-1' },
    from: { id: 'seller-1', role: 'user' },
    recipient: { id: 'bot' },
    ...overrides,
  };
}

const post = (server: TestServer, body: unknown) => request(`${server.base}/api/messages`, { body });

describe('/api/messages by default (no MicrosoftAppId, no BOT_FRAMEWORK_ANONYMOUS)', () => {
  let server: TestServer;
  let connector: Awaited<ReturnType<typeof startConnector>>;
  beforeAll(async () => {
    connector = await startConnector();
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
    await connector?.close();
  });

  it('is off: 404 (no such endpoint here, never a 5xx) with a message saying how to turn it on, and nothing is sent anywhere', async () => {
    const response = await post(server, activity(connector.url));
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ code: 'BOT_FRAMEWORK_OFF' });
    expect(response.body.message).toContain('BOT_FRAMEWORK_ANONYMOUS');
    expect(response.body.message).toContain('MicrosoftAppId');
    expect(connector.calls).toEqual([]);
  });
});

describe('/api/messages with a MicrosoftAppId (Bot Framework JWT required)', () => {
  let server: TestServer;
  let connector: Awaited<ReturnType<typeof startConnector>>;
  beforeAll(async () => {
    connector = await startConnector();
    server = await startTestServer({ MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'not-used' });
  });
  afterAll(async () => {
    await server?.close();
    await connector?.close();
  });

  it('refuses an activity without a token (401) and sends nothing', async () => {
    const response = await post(server, activity('https://webchat.botframework.com/'));
    expect(response.status).toBe(401);
    expect(connector.calls).toEqual([]);
  });

  it('refuses a loopback serviceUrl outright (403), even before authentication', async () => {
    const response = await post(server, activity(connector.url));
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ code: 'SERVICE_URL_NOT_ALLOWED' });
    expect(connector.calls).toEqual([]);
  });
});

describe('/api/messages in anonymous mode (BOT_FRAMEWORK_ANONYMOUS=true, the Emulator)', () => {
  let server: TestServer;
  let connector: Awaited<ReturnType<typeof startConnector>>;
  let victim: { conversationId: string; token: string };

  const victimHistory = async (): Promise<string[]> => {
    const response = await request(`${server.domain}/conversations/${victim.conversationId}/activities`, { token: victim.token });
    expect(response.status).toBe(200);
    return (response.body.activities as { id: string }[]).map((a) => a.id);
  };

  beforeAll(async () => {
    connector = await startConnector();
    server = await startTestServer({ BOT_FRAMEWORK_ANONYMOUS: 'true', BOT_FRAMEWORK_TIMEOUT_SECONDS: '1' });
    // A seller on the built-in web chat (Direct Line), whose conversation id the attacker has learnt.
    const started = await request(`${server.domain}/conversations`, { method: 'POST', token: server.secret });
    victim = { conversationId: started.body.conversationId, token: started.body.token };
    await request(`${server.domain}/conversations/${victim.conversationId}/activities`, {
      token: victim.token,
      body: { type: 'message', text: '诚信通能一键解绑速卖通吗', from: { id: 'ignored' } },
    });
    // The welcome, the question and its answer are stored before the attacks begin.
    for (let waited = 0; (await victimHistory()).length < 4 && waited < 10_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }, 30_000);

  afterAll(async () => {
    await server?.close();
    await connector?.close();
  });

  it('still answers the Emulator on loopback', async () => {
    const before = connector.calls.length;
    const response = await post(server, activity(connector.url));
    expect(response.status).toBeLessThan(300);
    expect(connector.calls.length).toBeGreaterThan(before);
  });

  it('refuses channelId "directline" with a Direct Line conversation id (403); the victim sees nothing', async () => {
    const history = await victimHistory();
    const response = await post(
      server,
      activity(connector.url, { channelId: 'directline', conversation: { id: victim.conversationId }, text: '我想找人工' }),
    );
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ code: 'FORBIDDEN_ACTIVITY' });
    expect(await victimHistory()).toEqual(history);
  });

  it('a message of another channel that names the victim\'s conversation id reaches neither the victim nor the bot', async () => {
    const history = await victimHistory();
    const recordBefore = await server.app.stores.handoff.conversations.get(victim.conversationId);
    const calls = connector.calls.length;
    const response = await post(
      server,
      activity(connector.url, { channelId: 'emulator', conversation: { id: victim.conversationId }, text: '我想找人工' }),
    );
    expect(response.status).toBe(403);
    expect(response.body.message).toContain('another channel');
    // No handoff was requested in the victim's name, no case card or reply went to the attacker's serviceUrl ...
    const record = await server.app.stores.handoff.conversations.get(victim.conversationId);
    expect(record).toEqual(recordBefore);
    expect(record).toMatchObject({ channelId: 'directline', handoffState: 'bot', caseSummary: null });
    expect(connector.calls.length).toBe(calls);
    // ... and nothing was added to the victim's conversation.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await victimHistory()).toEqual(history);
    // Not even the attacker's own transcript under that id exists.
    const logged = await server.app.stores.transcripts.getTranscriptActivities('emulator', victim.conversationId);
    expect(logged.items).toEqual([]);
  });

  it.each([
    ['a staff account id', { from: { id: 'agent:admin', name: 'admin', role: 'user' } }, 'from.id'],
    ['a staff account id in other case, with spaces', { from: { id: ' Agent:admin' } }, 'from.id'],
    ['the bot role', { from: { id: 'seller-1', role: 'bot' } }, 'from.role'],
    ['a handoff.status event', { type: 'event', name: 'handoff.status', value: { state: 'accepted', agentName: 'Mallory' } }, 'name'],
    ['a handoff.rating event', { type: 'event', name: 'Handoff.Rating', value: { score: 1 } }, 'name'],
  ])('refuses %s (403) and sends nothing', async (_what, overrides, field) => {
    const calls = connector.calls.length;
    const response = await post(server, activity(connector.url, overrides));
    expect(response.status).toBe(403);
    expect(response.body.message).toContain(field);
    expect(connector.calls.length).toBe(calls);
  });

  it.each([
    ['a host outside the allow-list', 'https://attacker.example.com/x'],
    ['an allowed name as a prefix of another domain', 'https://webchat.botframework.com.attacker.example/x'],
    ['a private address', 'http://10.0.0.1/x'],
    ['plain http to a channel host', 'http://webchat.botframework.com/'],
    ['credentials in the URL', 'http://user:pw@127.0.0.1:9/'],
  ])('refuses a serviceUrl with %s (403)', async (_what, serviceUrl) => {
    const response = await post(server, activity(serviceUrl));
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ code: 'SERVICE_URL_NOT_ALLOWED' });
  });

  it('gives up on a channel that never answers, and keeps serving', { timeout: 30_000 }, async () => {
    const hanging = await startConnector(true);
    try {
      const started = Date.now();
      const response = await post(server, activity(hanging.url, { conversation: { id: 'emu-hang' } }));
      expect(response.status).toBeGreaterThanOrEqual(200);
      expect(hanging.calls.length).toBeGreaterThan(0);
      expect(Date.now() - started).toBeLessThan(20_000);
      expect((await request(`${server.base}/healthz`)).body).toEqual({ status: 'ok' });
    } finally {
      await hanging.close();
    }
  });
});
