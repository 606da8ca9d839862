import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { CaseSummary } from '../../src/handoff/case-summary.js';
import { signIn, startConsoleHarness, type ConsoleHarness, type StaffClient } from './console-harness.js';

const summary: CaseSummary = {
  reason: 'fallback',
  locale: 'zh-CN',
  intents: [{ text: '怎么解绑', intent: 'none', score: 0.2 }],
  scenario: 'scenario.unbind',
  step: 'askAccount',
  answers: { account: 'cxt-1' },
};

const PROTECTED: Array<[string, string]> = [
  ['GET', '/console'],
  ['GET', '/console/console.js'],
  ['GET', '/console/anything-else'],
  ['GET', '/api/console/me'],
  ['GET', '/api/console/conversations'],
  ['GET', '/api/console/conversations?status=queued'],
  ['GET', '/api/console/conversations/c1'],
  ['POST', '/api/console/conversations/c1/takeover'],
  ['POST', '/api/console/conversations/c1/messages'],
  ['POST', '/api/console/conversations/c1/release'],
  ['POST', '/api/console/conversations/c1/close'],
  ['GET', '/api/console/callbacks'],
  ['POST', '/api/console/callbacks/x'],
  ['GET', '/api/console/ratings'],
  ['GET', '/api/console/dashboard'],
  ['POST', '/api/console/logout'],
  ['GET', '/api/console/unknown'],
];

describe('console API', () => {
  let h: ConsoleHarness;
  let admin: StaffClient;
  let bob: StaffClient;

  beforeAll(async () => {
    h = await startConsoleHarness();
    admin = await signIn(h.base, 'admin', 'admin-password-1');
    bob = await signIn(h.base, 'bob', 'bob-password-1');
    await h.handoff.observe({ conversationId: 'c1', channelId: 'directline', locale: 'zh-CN', reference: null, sellerText: '<img src=x onerror=alert(1)>' });
    await h.handoff.request('c1', summary);
    await h.handoff.observe({ conversationId: 'c2', channelId: 'directline', locale: 'en', reference: null, sellerText: 'just the bot' });
  });
  afterAll(async () => h.close());

  describe('refuses everything without a staff session (401)', () => {
    it.each(PROTECTED)('%s %s without a cookie', async (method, path) => {
      const res = await fetch(`${h.base}${path}`, { method, headers: { 'Content-Type': 'application/json' }, body: method === 'POST' ? '{}' : undefined });
      expect(res.status).toBe(401);
    });

    it.each(PROTECTED)('%s %s with a Bearer token or a forged cookie', async (method, path) => {
      const res = await fetch(`${h.base}${path}`, {
        method,
        headers: {
          'Content-Type': 'application/json',
          Authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyIjoiZGxfc2VsbGVyIn0.sig',
          cookie: 'cxt_console=forged',
        },
        body: method === 'POST' ? '{}' : undefined,
      });
      expect(res.status).toBe(401);
    });

    it('answers JSON {code, message} on the API', async () => {
      const res = await fetch(`${h.base}/api/console/conversations`);
      expect(await res.json()).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.any(String) });
    });

    it('serves the sign-in page and its own files publicly, with a strict CSP', async () => {
      const page = await fetch(`${h.base}/console/login?lang=en`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(await page.text()).toContain('"Staff sign-in"');
      expect((await fetch(`${h.base}/console/login.js`)).status).toBe(200);
      expect((await fetch(`${h.base}/console/console.css`)).status).toBe(200);
    });
  });

  describe('sign-in', () => {
    it('sets an HttpOnly SameSite=Strict session cookie', async () => {
      const res = await fetch(`${h.base}/api/console/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'bob', password: 'bob-password-1' }),
      });
      expect(res.status).toBe(200);
      const cookie = res.headers.get('set-cookie') ?? '';
      expect(cookie).toMatch(/^cxt_console=[A-Za-z0-9_-]{43};/);
      expect(cookie).toContain('HttpOnly');
      expect(cookie).toContain('SameSite=Strict');
      expect(await res.json()).toMatchObject({ username: 'bob', displayName: 'Bob', role: 'agent', csrfToken: expect.any(String) });
    });

    it('refuses wrong credentials, forms and cross-site sign-ins', async () => {
      const post = (body: string, headers: Record<string, string>) => fetch(`${h.base}/api/console/login`, { method: 'POST', headers, body });
      const wrong = await post(JSON.stringify({ username: 'bob', password: 'nope' }), { 'Content-Type': 'application/json' });
      expect(wrong.status).toBe(401);
      expect(await wrong.json()).toMatchObject({ code: 'BAD_CREDENTIALS' });
      expect((await post('username=bob&password=bob-password-1', { 'Content-Type': 'application/x-www-form-urlencoded' })).status).toBe(415);
      expect(
        (await post(JSON.stringify({ username: 'bob', password: 'bob-password-1' }), { 'Content-Type': 'application/json', Origin: 'https://evil.example' })).status,
      ).toBe(403);
      expect((await post(JSON.stringify({ username: '' }), { 'Content-Type': 'application/json' })).status).toBe(400);
    });

    it('rate-limits failed sign-ins per account and address', async () => {
      const attempt = () =>
        fetch(`${h.base}/api/console/login`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ username: 'ratelimited', password: 'wrong-password' }),
        });
      for (let i = 0; i < 5; i += 1) expect((await attempt()).status).toBe(401);
      const blocked = await attempt();
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await blocked.json()).toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });
    });

    it('serves the console page once signed in', async () => {
      const res = await admin.get('/console?lang=en');
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('"Staff console"');
    });
  });

  describe('CSRF', () => {
    it('refuses a state-changing request without the X-CSRF-Token header', async () => {
      const res = await fetch(`${h.base}/api/console/conversations/c2/close`, {
        method: 'POST',
        headers: { cookie: admin.cookie, 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ code: 'CSRF_REJECTED' });
    });

    it('refuses a wrong token, another session\'s token, and a cross-site Origin', async () => {
      expect((await admin.post('/api/console/conversations/c2/close', {}, { 'X-CSRF-Token': 'guess' })).status).toBe(403);
      expect((await admin.post('/api/console/conversations/c2/close', {}, { 'X-CSRF-Token': bob.csrf })).status).toBe(403);
      expect((await admin.post('/api/console/conversations/c2/close', {}, { Origin: 'https://evil.example' })).status).toBe(403);
      expect((await h.repositories.conversations.get('c2'))?.handoffState).toBe('bot');
    });
  });

  describe('conversations', () => {
    it('lists waiting sellers first and filters by status', async () => {
      const all = (await (await admin.get('/api/console/conversations')).json()) as { conversations: Array<{ conversationId: string; handoffState: string; queuePosition: number | null }> };
      expect(all.conversations.map((c) => c.conversationId)).toEqual(['c1', 'c2']);
      expect(all.conversations[0]).toMatchObject({ handoffState: 'queued', queuePosition: 1 });
      expect(all.conversations[0]).not.toHaveProperty('reference');
      const queued = (await (await admin.get('/api/console/conversations?status=queued')).json()) as { conversations: unknown[] };
      expect(queued.conversations).toHaveLength(1);
      const bad = await admin.get('/api/console/conversations?status=bogus');
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ code: 'BAD_REQUEST' });
    });

    it('shows the case card and the transcript; seller text comes back verbatim as JSON text', async () => {
      const res = await admin.get('/api/console/conversations/c1');
      expect(res.status).toBe(200);
      const detail = (await res.json()) as { caseCard: CaseSummary; conversation: { lastSellerText: string } };
      expect(detail.caseCard).toEqual(summary);
      expect(detail.conversation.lastSellerText).toBe('<img src=x onerror=alert(1)>');
      expect((await admin.get('/api/console/conversations/nope')).status).toBe(404);
    });

    it('take-over, reply, exclusive holder, hand back, close', async () => {
      const taken = await admin.post('/api/console/conversations/c1/takeover');
      expect(taken.status).toBe(200);
      expect(await taken.json()).toMatchObject({ conversation: { handoffState: 'agent', assignedAgent: 'admin' } });
      expect(h.channel.statuses.at(-1)).toEqual({ conversationId: 'c1', status: { state: 'accepted', agentName: 'admin' } });

      const again = await bob.post('/api/console/conversations/c1/takeover');
      expect(again.status).toBe(409);
      expect(await again.json()).toMatchObject({ code: 'HANDOFF_ALREADY_TAKEN' });

      const notHolder = await bob.post('/api/console/conversations/c1/messages', { text: 'hi' });
      expect(notHolder.status).toBe(403);
      expect(await notHolder.json()).toMatchObject({ code: 'HANDOFF_NOT_HOLDER' });

      expect((await admin.post('/api/console/conversations/c1/messages', {})).status).toBe(400);
      expect((await admin.post('/api/console/conversations/c1/messages', { text: '   ' })).status).toBe(400);
      const sent = await admin.post('/api/console/conversations/c1/messages', { text: '您好，我来帮您' });
      expect(sent.status).toBe(201);
      expect(await sent.json()).toMatchObject({ activity: { type: 'message', text: '您好，我来帮您', from: { id: 'agent:admin' } } });
      expect(h.channel.messages.at(-1)).toMatchObject({ conversationId: 'c1', text: '您好，我来帮您' });

      const released = await admin.post('/api/console/conversations/c1/release');
      expect(await released.json()).toMatchObject({ conversation: { handoffState: 'bot' } });
      expect(h.channel.statuses.at(-1)).toEqual({ conversationId: 'c1', status: { state: 'completed' } });

      expect((await admin.post('/api/console/conversations/c1/release')).status).toBe(403);
      const closed = await bob.post('/api/console/conversations/c1/close');
      expect(await closed.json()).toMatchObject({ conversation: { handoffState: 'closed' } });
      expect((await bob.post('/api/console/conversations/c1/close')).status).toBe(409);
    });
  });

  describe('callbacks, ratings, dashboard', () => {
    it('lists callbacks and marks one done', async () => {
      await h.repositories.callbacks.add({ id: 'cb1', conversationId: 'c2', name: 'Wang', phone: '13122891139', locale: 'zh-CN', createdAt: new Date().toISOString(), status: 'open', handledBy: null });
      const list = (await (await bob.get('/api/console/callbacks?status=open')).json()) as { callbacks: unknown[] };
      expect(list.callbacks).toEqual([expect.objectContaining({ id: 'cb1', name: 'Wang' })]);
      const done = await bob.post('/api/console/callbacks/cb1', { status: 'done' });
      expect(await done.json()).toMatchObject({ callback: { status: 'done', handledBy: 'bob' } });
      expect((await bob.post('/api/console/callbacks/cb1', { status: 'maybe' })).status).toBe(400);
      expect((await bob.post('/api/console/callbacks/unknown', { status: 'done' })).status).toBe(404);
    });

    it('lists ratings with the average', async () => {
      await h.repositories.ratings.add({ id: 'r1', conversationId: 'c1', score: 5, agent: 'admin', createdAt: new Date().toISOString() });
      await h.repositories.ratings.add({ id: 'r2', conversationId: 'c2', score: 2, agent: null, createdAt: new Date().toISOString() });
      expect(await (await bob.get('/api/console/ratings')).json()).toMatchObject({ average: 3.5, ratings: [expect.anything(), expect.anything()] });
    });

    it('computes the dashboard', async () => {
      await h.repositories.recognitions.append({ conversationId: 'c2', activityId: 'a1', text: 'how to unbind', intent: 'faq.unbind', score: 0.9, ambiguous: false, at: new Date().toISOString() });
      await h.repositories.recognitions.append({ conversationId: 'c2', activityId: 'a2', text: 'blah', intent: 'none', score: 0.1, ambiguous: false, at: new Date().toISOString() });
      const d = (await (await bob.get('/api/console/dashboard?days=7')).json()) as Record<string, unknown>;
      expect(d).toMatchObject({ days: 7, conversations: 2, handoffRate: 0.5, sellerMessages: 2, fallbackRate: 0.5, topIntents: [{ intent: 'faq.unbind', count: 1 }] });
      expect(d.conversationsPerDay).toHaveLength(7);
      expect(d.latestNotUnderstood).toEqual([expect.objectContaining({ text: 'blah' })]);
      expect((await bob.get('/api/console/dashboard?days=1000')).status).toBe(400);
    });

    it('masks personal data in the dashboard samples, even in rows stored unmasked', async () => {
      const text = '电话 13912345678 邮箱 wang@example.com';
      await h.repositories.recognitions.append({ conversationId: 'c2', activityId: 'a3', text, intent: 'none', score: 0.1, ambiguous: false, at: new Date().toISOString() });
      const d = (await (await bob.get('/api/console/dashboard?days=7')).json()) as { latestNotUnderstood: Array<{ text: string }> };
      expect(d.latestNotUnderstood[0]?.text).toBe('电话 139****5678 邮箱 w***@example.com');
    });
  });

  describe('live WebSocket', () => {
    const open = (headers: Record<string, string>) =>
      new Promise<{ ws: WebSocket; first: unknown }>((resolve, reject) => {
        const ws = new WebSocket(`${h.base.replace('http', 'ws')}/api/console/live`, { headers });
        ws.once('message', (data) => resolve({ ws, first: JSON.parse(String(data)) }));
        ws.once('unexpected-response', (_req, res) => reject(new Error(`status ${res.statusCode}`)));
        ws.once('error', reject);
      });

    it('refuses a handshake without a session or from another site', async () => {
      await expect(open({})).rejects.toThrow('status 401');
      await expect(open({ cookie: 'cxt_console=forged' })).rejects.toThrow('status 401');
      await expect(open({ cookie: bob.cookie, Origin: 'https://evil.example' })).rejects.toThrow('status 403');
    });

    it('pushes conversation changes and seller activity to signed-in staff', async () => {
      const { ws, first } = await open({ cookie: bob.cookie, Origin: h.base });
      expect(first).toEqual({ type: 'hello', username: 'bob' });
      const received: Array<{ type: string; conversation?: { conversationId: string; handoffState: string } }> = [];
      ws.on('message', (data) => received.push(JSON.parse(String(data))));
      await h.handoff.observe({ conversationId: 'c3', channelId: 'directline', locale: 'en', reference: null, sellerText: 'I need a human' });
      await h.handoff.request('c3', { ...summary, reason: 'seller_request' });
      await expect.poll(() => received.some((e) => e.type === 'conversation' && e.conversation?.conversationId === 'c3' && e.conversation.handoffState === 'queued')).toBe(true);
      ws.send('not json');
      await new Promise((resolve) => ws.once('close', resolve));
    });
  });

  it('signing out ends the session', async () => {
    const carol = await signIn(h.base, 'bob', 'bob-password-1');
    expect((await carol.post('/api/console/logout')).status).toBe(200);
    expect((await carol.get('/api/console/me')).status).toBe(401);
  });
});
