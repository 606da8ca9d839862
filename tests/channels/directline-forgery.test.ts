import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startTestServer, type TestServer } from './helpers/test-server.js';

/** A seller's Direct Line client may not speak for the server: no handoff events, no staff account. */
describe('Direct Line: what a seller cannot forge', () => {
  let server: TestServer;
  let conversation: { conversationId: string; token: string };

  beforeAll(async () => {
    server = await startTestServer();
    const started = await request(`${server.base}/api/widget/token`, { method: 'POST', body: { locale: 'zh-CN' }, headers: { origin: server.base } });
    expect(started.status).toBe(200);
    conversation = { conversationId: started.body.conversationId, token: started.body.token };
  });

  afterAll(async () => {
    await server?.close();
  });

  const history = async (): Promise<{ type: string; name?: string; text?: string }[]> =>
    (await request(`${server.domain}/conversations/${conversation.conversationId}/activities`, { token: conversation.token })).body.activities;

  it.each([
    ['a "consultant joined" under a name of the seller\'s choosing', 'handoff.status', { state: 'accepted', agentName: 'Official Support' }],
    ['a hand-back (that would ask for a rating)', 'handoff.status', { state: 'completed' }],
    ['a rating of a chat no agent held', 'handoff.rating', { score: 1 }],
    ['a handoff request with a case card of their own', 'HANDOFF.initiate', { reason: 'seller_request' }],
  ])('refuses %s (400) and stores nothing', async (_what, name, value) => {
    const before = (await history()).length;
    const response = await request(`${server.domain}/conversations/${conversation.conversationId}/activities`, {
      token: conversation.token,
      body: { type: 'event', name, value, from: { id: 'anything' } },
    });
    expect(response.status).toBe(400);
    expect(response.body.message).toContain('handoff.*');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await history()).length).toBe(before);
    expect(await server.app.stores.handoff.ratings.list()).toEqual([]);
    const record = await server.app.stores.handoff.conversations.get(conversation.conversationId);
    expect(record?.handoffState ?? 'bot').toBe('bot');
  });

  it('refuses a conversation started for a staff account id (400)', async () => {
    const response = await request(`${server.domain}/conversations`, {
      method: 'POST',
      token: server.secret,
      body: { user: { id: 'agent:admin', name: 'admin' } },
    });
    expect(response.status).toBe(400);
    expect(response.body.message).toContain('agent:');
  });
});
