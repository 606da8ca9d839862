import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionStatus, DirectLine, RecordingClient } from './helpers/directline-client.js';
import { ONE_CLICK_QUESTION, oneClickUnbindAnswer, welcomeText } from './helpers/expected-text.js';
import { request, startTestServer, type TestServer } from './helpers/test-server.js';

let server: TestServer;
const clients: RecordingClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  for (const c of clients) c.end();
  await server.close();
});

async function generateToken(): Promise<{ conversationId: string; token: string }> {
  const res = await request(`${server.domain}/tokens/generate`, { token: server.secret, body: {} });
  expect(res.status).toBe(200);
  return res.body;
}

function connect(options: ConstructorParameters<typeof DirectLine>[0]): RecordingClient {
  const client = new RecordingClient(new DirectLine({ domain: server.domain, ...options }));
  clients.push(client);
  return client;
}

const isBotMessage = (a: { type: string; from: { role?: string } }): boolean => a.type === 'message' && a.from.role === 'bot';

describe.each([
  { mode: 'WebSocket', webSocket: true },
  { mode: 'polling', webSocket: false },
])('Direct Line 3.0 with the official client, $mode mode', ({ webSocket }) => {
  it('shows the welcome, echoes the message with its clientActivityID before the answer', async () => {
    const { token } = await generateToken();
    const dl = connect({ token, webSocket, pollingInterval: 200 });
    const welcome = await dl.waitFor(isBotMessage, 'welcome');
    expect(welcome.text).toBe(welcomeText());

    const postedId = await dl.say(ONE_CLICK_QUESTION, `client-${webSocket}`);
    expect(postedId).toMatch(/\|\d+$/);
    const echo = await dl.waitFor((a) => a.channelData?.clientActivityID === `client-${webSocket}`, 'echo');
    expect(echo.id).toBe(postedId);
    expect(echo.from.role).toBe('user');
    expect(echo.text).toBe(ONE_CLICK_QUESTION);
    expect(Number.isNaN(Date.parse(echo.timestamp ?? ''))).toBe(false);

    const answer = await dl.waitFor((a) => isBotMessage(a) && a.replyToId === postedId, 'answer');
    expect(answer.text?.startsWith(oneClickUnbindAnswer())).toBe(true);
    expect(dl.activities.indexOf(answer)).toBeGreaterThan(dl.activities.indexOf(echo));
    expect(Date.parse(answer.timestamp!)).toBeGreaterThan(Date.parse(echo.timestamp!));
    expect(dl.activities.some((a) => a.type === 'trace')).toBe(false);
    if (webSocket) await dl.waitFor((a) => a.type === 'typing' && a.from.role === 'bot', 'typing indicator');
  });
});

describe('resume', () => {
  it('replays the whole history, user messages on the user side, when resuming without a watermark', async () => {
    const { token, conversationId } = await generateToken();
    const first = connect({ token });
    await first.waitFor(isBotMessage, 'welcome');
    const id = await first.say(ONE_CLICK_QUESTION, 'c1');
    await first.waitFor((a) => a.replyToId === id, 'answer');
    first.end();

    const again = connect({ token, conversationId });
    const echo = await again.waitFor((a) => a.channelData?.clientActivityID === 'c1', 'replayed question');
    expect(echo.from.role).toBe('user');
    await again.waitFor((a) => a.replyToId === id, 'replayed answer');
    expect(again.activities.filter((a) => a.type === 'message').map((a) => a.text)[0]).toBe(welcomeText());
  });

  it('sends only what comes after the watermark', async () => {
    const { token, conversationId } = await generateToken();
    const polled = await waitForHistory(conversationId, token, 1);
    const watermark = polled.watermark as string;

    const resumed = connect({ token, conversationId, watermark, webSocket: true });
    await resumed.waitForStatus(ConnectionStatus.Online);
    const id = await resumed.say(ONE_CLICK_QUESTION, 'after-watermark');
    await resumed.waitFor((a) => a.replyToId === id, 'answer after the watermark');
    expect(resumed.activities.some((a) => a.text === welcomeText())).toBe(false);

    const page = await request(`${server.domain}/conversations/${conversationId}/activities?watermark=${watermark}`, { token });
    expect(page.status).toBe(200);
    expect(page.body.activities[0].channelData.clientActivityID).toBe('after-watermark');
    expect(Number(page.body.watermark)).toBeGreaterThan(Number(watermark));
  });

  it('GET /conversations/{id} gives a fresh token and a single-use stream URL', async () => {
    const { token, conversationId } = await generateToken();
    const res = await request(`${server.domain}/conversations/${conversationId}?watermark=`, { token });
    expect(res.status).toBe(200);
    expect(res.body.conversationId).toBe(conversationId);
    expect(res.body.streamUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/v3\/directline\/conversations\/.+\/stream\?t=/);
    expect(res.body.streamUrl).not.toContain(token);
    const { WebSocket } = await import('ws');
    const firstFrame = await new Promise<string>((resolve, reject) => {
      const ws = new WebSocket(res.body.streamUrl);
      ws.on('message', (data) => {
        resolve(String(data));
        ws.close();
      });
      ws.on('error', reject);
    });
    expect(JSON.parse(firstFrame).watermark).toMatch(/^\d+$/);
    const reuse = await new Promise<number>((resolve) => {
      const ws = new WebSocket(res.body.streamUrl);
      ws.on('unexpected-response', (_req, response) => resolve(response.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => undefined);
    });
    expect(reuse).toBe(403);
  });
});

describe('tokens', () => {
  it('refreshes a token: same conversation and user, usable at once', async () => {
    const { token, conversationId } = await generateToken();
    const refreshed = await request(`${server.domain}/tokens/refresh`, { method: 'POST', token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.conversationId).toBe(conversationId);
    const claims = (t: string): { conv: string; user: string } =>
      JSON.parse(Buffer.from(t.split('.')[1]!, 'base64url').toString('utf8'));
    expect(claims(refreshed.body.token)).toMatchObject({ conv: conversationId, user: claims(token).user });
    const history = await request(`${server.domain}/conversations/${conversationId}/activities`, {
      token: refreshed.body.token,
    });
    expect(history.status).toBe(200);
  });

  it('answers 403 to a token of another conversation, on every route', async () => {
    const a = await generateToken();
    const b = await generateToken();
    const routes = [
      request(`${server.domain}/conversations/${b.conversationId}`, { token: a.token }),
      request(`${server.domain}/conversations/${b.conversationId}/activities`, { token: a.token }),
      request(`${server.domain}/conversations/${b.conversationId}/activities`, {
        token: a.token,
        body: { type: 'message', text: 'x' },
      }),
    ];
    for (const res of await Promise.all(routes)) {
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
    // The official client reports it as a failed connection, not as someone else's conversation.
    const dl = connect({ token: a.token, conversationId: b.conversationId });
    await dl.waitForStatus(ConnectionStatus.FailedToConnect);
    expect(dl.activities).toHaveLength(0);
  });

  it('answers 403 to forged, tampered and missing-secret credentials, 401 without any', async () => {
    const { token, conversationId } = await generateToken();
    const [header, payload] = token.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), conv: 'other' })).toString('base64url');
    const url = `${server.domain}/conversations/${conversationId}/activities`;
    expect((await request(url, { token: `${header}.${forgedPayload}.${token.split('.')[2]}` })).status).toBe(403);
    expect((await request(url, { token: `${header}.${payload}.` })).status).toBe(403);
    expect((await request(url, { token: 'not-the-secret' })).status).toBe(403);
    expect((await request(url, { token: 'eyJhbGciOiJub25lIn0.e30.' })).status).toBe(403);
    expect((await request(url)).status).toBe(401);
    expect((await request(`${server.domain}/tokens/generate`, { token, body: {} })).status).toBe(403);
  });

  it('answers 404 to an unknown conversation', async () => {
    const res = await request(`${server.domain}/conversations/no-such-conversation/activities`, { token: server.secret });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'CONVERSATION_NOT_FOUND', message: expect.any(String) });
    const resume = await request(`${server.domain}/conversations/no-such-conversation?watermark=`, { token: server.secret });
    expect(resume.status).toBe(404);
  });
});

describe('malformed input', () => {
  const bad: [string, { rawBody?: string; body?: unknown; headers?: Record<string, string> }][] = [
    ['invalid JSON', { rawBody: '{"type": "message", ' }],
    ['an array', { body: [] }],
    ['no type', { body: { text: 'hi' } }],
    ['an unknown type', { body: { type: 'invoke', text: 'hi' } }],
    ['a message without text', { body: { type: 'message' } }],
    ['an event without a name', { body: { type: 'event', value: 1 } }],
    ['text too long', { body: { type: 'message', text: 'x'.repeat(9000) } }],
    ['attachments', { body: { type: 'message', text: 'hi', attachments: [{ contentType: 'image/png', contentUrl: 'http://x' }] } }],
    ['a bad locale', { body: { type: 'message', text: 'hi', locale: '<script>' } }],
    ['a non-JSON content type', { rawBody: 'type=message', headers: { 'content-type': 'application/x-www-form-urlencoded' } }],
  ];

  it.each(bad)('answers 4xx with {code, message} to %s', async (_name, input) => {
    const { token, conversationId } = await generateToken();
    const res = await request(`${server.domain}/conversations/${conversationId}/activities`, { token, ...input });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(typeof res.body.code).toBe('string');
    expect(typeof res.body.message).toBe('string');
  });

  it('answers 400 to a bad watermark and to uploads, 413 to a huge body', async () => {
    const { token, conversationId } = await generateToken();
    const wm = await request(`${server.domain}/conversations/${conversationId}/activities?watermark=abc`, { token });
    expect(wm.status).toBe(400);
    expect(wm.body.code).toBe('BAD_WATERMARK');
    const upload = await request(`${server.domain}/conversations/${conversationId}/upload?userId=x`, {
      token,
      rawBody: '--b\r\n\r\n--b--',
      headers: { 'content-type': 'multipart/form-data; boundary=b' },
    });
    expect(upload.status).toBe(400);
    expect(upload.body.code).toBe('UPLOAD_NOT_SUPPORTED');
    const huge = await request(`${server.domain}/conversations/${conversationId}/activities`, {
      token,
      body: { type: 'message', text: 'x', channelData: { pad: 'y'.repeat(300 * 1024) } },
    });
    expect(huge.status).toBe(413);
  });

  it('never answers 5xx and keeps serving', async () => {
    const { token, conversationId } = await generateToken();
    const c = `${server.domain}/conversations/${conversationId}`;
    const attempts = [
      request(`${server.domain}/conversations`, { token: 'a.b.c', body: {} }),
      request(`${server.domain}/conversations`, { token: server.secret, body: { user: { id: '../../etc' } } }),
      request(`${server.domain}/conversations`, { token: server.secret, rawBody: 'null' }),
      request(`${server.domain}/conversations`, { headers: { authorization: 'Basic abc' }, body: {} }),
      request(`${server.domain}/conversations/${'%F0%9F'.repeat(3)}/activities`, { token: server.secret }),
      request(`${server.domain}/conversations/${'x'.repeat(500)}/activities`, { token: server.secret }),
      request(`${c}/activities?watermark=99999999999999999`, { token }),
      request(`${c}/activities?watermark=-1`, { token }),
      request(`${c}/activities`, { token, body: { type: 'message', text: 'hi', channelData: 'str' } }),
      request(`${c}/activities`, { token, body: { type: 'message', value: { deep: { deeper: [1, 2, 3] } } } }),
      request(`${c}/activities`, { token, body: { type: 'typing' } }),
      request(`${c}/activities`, { token, body: { type: 'message', text: 'hi', from: { id: 42 } } }),
      request(`${c}/activities`, { token, rawBody: '"just a string"' }),
      request(`${server.domain}/tokens/refresh`, { method: 'POST', token: server.secret }),
      request(`${server.domain}/tokens/refresh`, { method: 'POST' }),
      request(`${server.domain}/tokens/generate`, { token: server.secret, body: { user: { id: 7 } } }),
      request(`${server.base}/api/widget/token`, { rawBody: '{"locale": 5}' }),
      request(`${server.base}/api/widget/token`, { body: { previousToken: 'garbage' } }),
      request(`${server.base}/api/widget/strings/xx`),
      request(`${c}/stream`, { token }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
    }
    expect((await request(`${server.base}/healthz`)).status).toBe(200);
  });
});

/** Polls until the conversation has at least `count` activities (the welcome runs asynchronously). */
async function waitForHistory(conversationId: string, token: string, count: number): Promise<{ watermark: string }> {
  for (let i = 0; i < 100; i++) {
    const res = await request(`${server.domain}/conversations/${conversationId}/activities`, { token });
    if (res.body.activities.length >= count) return res.body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('waitForHistory(): history did not grow');
}
