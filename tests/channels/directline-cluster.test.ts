import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { WebSocket } from 'ws';
import { pgTestSchema, type PgTestSchema } from '../storage/pg-test-schema.js';
import { ONE_CLICK_QUESTION, oneClickUnbindAnswer, welcomeText } from './helpers/expected-text.js';
import { request, startTestServer, type TestServer } from './helpers/test-server.js';

/**
 * Two instances of the product (two buildApp, two HTTP servers) on one PostgreSQL schema, without sticky sessions:
 * a seller's stream on one instance shows what was posted to, and answered by, the other; turns run in order.
 */

interface SeenActivity {
  id: string;
  type: string;
  text?: string;
  replyToId?: string;
  from: { role?: string };
}

let schema: PgTestSchema;
let a: TestServer;
let b: TestServer;

beforeAll(async () => {
  schema = pgTestSchema();
  const env = { STORAGE: 'postgres', DATABASE_URL: inject('databaseUrl'), DATABASE_SCHEMA: schema.schema };
  a = await startTestServer(env);
  b = await startTestServer(env);
}, 60_000);
afterAll(async () => {
  await a?.close();
  await b?.close();
  await schema?.drop();
});

/** Opens a stream and records every activity it shows, in order. */
function follow(streamUrl: string): { seen: SeenActivity[]; waitFor(test: (seen: SeenActivity[]) => boolean, what: string): Promise<void>; close(): void } {
  const ws = new WebSocket(streamUrl);
  const seen: SeenActivity[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data) => {
    const text = String(data);
    if (!text) return;
    seen.push(...(JSON.parse(text) as { activities: SeenActivity[] }).activities);
    for (const waiter of waiters) waiter();
  });
  return {
    seen,
    waitFor: (test, what) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; seen: ${JSON.stringify(seen.map((s) => [s.type, s.text?.slice(0, 20)]))}`)), 20_000);
        const check = (): void => {
          if (!test(seen)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      }),
    close: () => ws.close(),
  };
}

const botMessages = (seen: SeenActivity[]): SeenActivity[] => seen.filter((s) => s.type === 'message' && s.from.role === 'bot');

describe('Direct Line across two instances on PostgreSQL', () => {
  it('shows on a stream of instance B the messages posted to A and B and the replies, once each, turns in order', async () => {
    const started = await request(`${a.domain}/conversations`, { token: a.secret, body: {} });
    expect(started.status).toBe(201);
    const { conversationId, token, streamUrl } = started.body as { conversationId: string; token: string; streamUrl: string };
    // The stream URL A issued is opened on B (a load balancer without sticky sessions may send it anywhere).
    const stream = follow(streamUrl.replace(`:${a.port}/`, `:${b.port}/`));
    await stream.waitFor((seen) => botMessages(seen).some((s) => s.text === welcomeText()), 'the welcome (run on A)');

    const posted: string[] = [];
    for (const [n, server] of [a, b, a, b].entries()) {
      const res = await request(`${server.domain}/conversations/${conversationId}/activities`, {
        token,
        body: { type: 'message', from: { id: 'seller' }, text: n % 2 === 0 ? ONE_CLICK_QUESTION : `${ONE_CLICK_QUESTION}？` },
      });
      expect(res.status).toBe(200);
      posted.push((res.body as { id: string }).id);
    }
    await stream.waitFor((seen) => posted.every((id) => botMessages(seen).some((s) => s.replyToId === id)), 'a reply to each message');

    // Every seller message shown once, in the order posted, whichever instance received it.
    const sellerIds = stream.seen.filter((s) => s.type === 'message' && s.from.role === 'user').map((s) => s.id);
    expect(sellerIds).toEqual(posted);
    // No activity shown twice; the stream shows the history in watermark order.
    const ids = stream.seen.filter((s) => s.type !== 'typing').map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    // Turns ran one at a time in order: the replies answer the messages in the order sent.
    const repliesInOrder = botMessages(stream.seen).flatMap((s) => (s.replyToId ? [s.replyToId] : []));
    expect([...new Set(repliesInOrder)]).toEqual(posted);
    expect(botMessages(stream.seen).find((s) => s.replyToId === posted[0])?.text?.startsWith(oneClickUnbindAnswer())).toBe(true);

    // Polling either instance gives the same history.
    const fromA = await request(`${a.domain}/conversations/${conversationId}/activities?watermark=0`, { token });
    const fromB = await request(`${b.domain}/conversations/${conversationId}/activities?watermark=0`, { token });
    expect(fromA.body).toEqual(fromB.body);
    expect((fromA.body as { activities: SeenActivity[] }).activities.map((s) => s.id)).toEqual(ids);
    stream.close();
  }, 60_000);
});
