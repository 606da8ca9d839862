import type { Activity } from 'botbuilder';
import { randomBytes } from 'node:crypto';
import type { TranscriptStore } from 'botbuilder';
import { afterAll, describe, expect, it } from 'vitest';
import { PgDatabase } from '../../src/storage/postgres/pg-database.js';
import { PgTranscriptStore } from '../../src/storage/postgres/pg-transcript.store.js';
import { SqliteDatabase } from '../../src/storage/sqlite-database.js';
import { SqliteTranscriptStore } from '../../src/storage/sqlite-transcript.store.js';
import { pgTestSchema } from '../storage/pg-test-schema.js';
import { makeTempDataDir } from '../storage/temp-data-dir.js';
import { ServerProcess } from './server-process.js';

const SECRET = randomBytes(24).toString('base64url');
const CONVERSATIONS = 3;
const MESSAGES_PER_CONVERSATION = 30;
/** Kill once this many seller messages were acknowledged, while the rest of the burst is still being sent. */
const KILL_AFTER_ACKS = 40;
/** Messages sent at once per conversation (the channel answers 429 beyond 16 pending turns). */
const WAVE = 10;
const QUESTIONS = ['怎么解绑诚信通？', '店铺已经关闭了还能解绑吗', '需要准备什么资料', 'how do I unbind my 1688 account?'];

interface Conversation {
  readonly id: string;
  readonly token: string;
  /** Seller messages whose POST was answered 200 with an id: acknowledged. */
  readonly acked: Map<string, string>;
  /** Bot activities the client received before the kill. */
  readonly botSeen: Map<string, string | undefined>;
  watermark: string;
}

const auth = (credential: string) => ({ authorization: `Bearer ${credential}`, 'content-type': 'application/json' });

async function startConversation(baseUrl: string): Promise<Conversation> {
  const res = await fetch(`${baseUrl}/v3/directline/conversations`, {
    method: 'POST',
    headers: auth(SECRET),
    body: JSON.stringify({ user: { id: `seller-${randomBytes(4).toString('hex')}` }, locale: 'zh-CN' }),
  });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { conversationId: string; token: string };
  return { id: body.conversationId, token: body.token, acked: new Map(), botSeen: new Map(), watermark: '' };
}

async function readHistory(baseUrl: string, conversation: Conversation, watermark = ''): Promise<{ activities: Partial<Activity>[]; watermark: string }> {
  const res = await fetch(
    `${baseUrl}/v3/directline/conversations/${encodeURIComponent(conversation.id)}/activities?watermark=${watermark}`,
    { headers: auth(conversation.token) },
  );
  expect(res.status).toBe(200);
  return (await res.json()) as { activities: Partial<Activity>[]; watermark: string };
}

async function readWholeHistory(baseUrl: string, conversation: Conversation): Promise<Partial<Activity>[]> {
  const all: Partial<Activity>[] = [];
  let watermark = '';
  for (;;) {
    const page = await readHistory(baseUrl, conversation, watermark);
    if (page.activities.length === 0) return all;
    all.push(...page.activities);
    watermark = page.watermark;
  }
}

function sendMessage(baseUrl: string, conversation: Conversation, text: string): Promise<Response> {
  return fetch(`${baseUrl}/v3/directline/conversations/${encodeURIComponent(conversation.id)}/activities`, {
    method: 'POST',
    headers: auth(conversation.token),
    body: JSON.stringify({ type: 'message', text, from: { id: 'ignored' }, locale: 'zh-CN', channelData: { clientActivityID: text } }),
  });
}

async function postMessage(baseUrl: string, conversation: Conversation, text: string): Promise<string | undefined> {
  const res = await sendMessage(baseUrl, conversation, text);
  if (res.status !== 200) return undefined;
  const { id } = (await res.json()) as { id?: string };
  return id;
}

/** Posts like postMessage, again every half second while the answer is 429 (turns still waiting), for up to 30 s. */
async function postUntilAccepted(baseUrl: string, conversation: Conversation, text: string): Promise<string | undefined> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await sendMessage(baseUrl, conversation, text);
    if (res.status === 200) return ((await res.json()) as { id?: string }).id;
    if (res.status !== 429 || Date.now() > deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The transcript (what staff read in the console) from the storage the server used. */
async function transcriptOf(dataDir: string, env: Record<string, string>, conversationId: string): Promise<Activity[]> {
  let store: TranscriptStore;
  let close: () => void | Promise<void>;
  if (env.STORAGE === 'postgres') {
    const database = await PgDatabase.open({ connectionString: env.DATABASE_URL!, schema: env.DATABASE_SCHEMA });
    store = new PgTranscriptStore(database.pool);
    close = () => database.close();
  } else {
    const database = SqliteDatabase.open(dataDir);
    store = new SqliteTranscriptStore(database.db);
    close = () => database.close();
  }
  try {
    const items: Activity[] = [];
    let token: string | undefined;
    do {
      const page = await store.getTranscriptActivities('directline', conversationId, token);
      items.push(...page.items);
      token = page.continuationToken;
    } while (token);
    return items;
  } finally {
    await close();
  }
}

const pg = pgTestSchema();
afterAll(() => pg.drop());
const storages: ReadonlyArray<readonly [string, Record<string, string>]> = [
  ['SQLite', { STORAGE: 'sqlite' }],
  // The Direct Line history stays in DATA_DIR (SQLite) with PostgreSQL; state, transcript and handoff go there.
  ['PostgreSQL', { STORAGE: 'postgres', DATABASE_URL: pg.connectionString, DATABASE_SCHEMA: pg.schema }],
];

describe.each(storages)('kill -9 during a burst of seller messages, then restart on the same DATA_DIR (%s)', (_name, storage) => {
  const temp = makeTempDataDir('cxt-durability-');
  const env: Record<string, string> = { DATA_DIR: temp.dir, LOG_LEVEL: 'silent', DIRECTLINE_SECRET: SECRET, ...storage };
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    for (const server of servers) await server.kill();
    temp.remove();
  });

  it('loses no acknowledged message and no reply, and the conversations resume', { timeout: 180_000 }, async () => {
    const first = await ServerProcess.start(env);
    servers.push(first);
    const conversations: Conversation[] = [];
    for (let i = 0; i < CONVERSATIONS; i++) conversations.push(await startConversation(first.baseUrl));

    // Clients poll their history, as Web Chat does without WebSockets; what they receive has been shown to a seller.
    let killed = false;
    const pollers = conversations.map(async (conversation) => {
      while (!killed) {
        try {
          const page = await readHistory(first.baseUrl, conversation, conversation.watermark);
          for (const activity of page.activities) {
            if (activity.from?.role === 'bot' && activity.id) conversation.botSeen.set(activity.id, activity.text);
          }
          conversation.watermark = page.watermark;
        } catch {
          // the server is gone
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    });

    // Waves of messages sent at once per conversation, so that turns queue up behind the acknowledgements
    // (the channel acknowledges after storing, then runs the turn): the kill lands while turns are pending.
    let acks = 0;
    let killing: Promise<void> | undefined;
    const sends: Promise<void>[] = [];
    for (let wave = 0; wave * WAVE < MESSAGES_PER_CONVERSATION && !killing; wave++) {
      for (const [c, conversation] of conversations.entries()) {
        for (let n = wave * WAVE; n < (wave + 1) * WAVE; n++) {
          const text = `${QUESTIONS[(n + c) % QUESTIONS.length]} #${c}-${n}`;
          sends.push(
            postMessage(first.baseUrl, conversation, text)
              .then((id) => {
                if (!id || killed) return;
                conversation.acked.set(id, text);
                acks += 1;
                if (acks >= KILL_AFTER_ACKS && !killing) {
                  killed = true;
                  killing = first.kill();
                }
              })
              .catch(() => undefined),
          );
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await Promise.all(sends);
    killed = true;
    await (killing ?? first.kill());
    await Promise.all(pollers);

    const totalAcked = conversations.reduce((sum, c) => sum + c.acked.size, 0);
    const totalSeen = conversations.reduce((sum, c) => sum + c.botSeen.size, 0);
    expect(totalAcked).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    // The kill came mid-burst: not every message was sent or acknowledged.
    expect(totalAcked).toBeLessThan(CONVERSATIONS * MESSAGES_PER_CONVERSATION);
    expect(totalSeen).toBeGreaterThan(0);

    const second = await ServerProcess.start(env);
    servers.push(second);
    for (const conversation of conversations) {
      // Resume exactly as Web Chat does on reconnect, with the token it holds.
      const resumed = await fetch(`${second.baseUrl}/v3/directline/conversations/${encodeURIComponent(conversation.id)}?watermark=0`, {
        headers: auth(conversation.token),
      });
      expect(resumed.status).toBe(200);
      const resumedBody = (await resumed.json()) as { conversationId: string; streamUrl: string };
      expect(resumedBody.conversationId).toBe(conversation.id);
      expect(resumedBody.streamUrl).toMatch(/^ws:\/\//);

      const history = await readWholeHistory(second.baseUrl, conversation);
      const historyText = new Map(history.map((a) => [a.id, a.text]));
      for (const [id, text] of conversation.acked) expect(historyText.get(id), `acknowledged ${id}`).toBe(text);
      for (const [id, text] of conversation.botSeen) expect(historyText.get(id), `reply ${id}`).toBe(text);
      // Acknowledged seller messages keep their role (Web Chat replays them on the right) and the place their id
      // gave them (ids carry the zero-padded watermark). Concurrent POSTs are answered on separate sockets, so the
      // order in which this client saw the answers is not a protocol guarantee; the history order is.
      const sellerIds = history.filter((a) => a.from?.role === 'user').map((a) => a.id);
      expect(sellerIds.filter((id) => conversation.acked.has(id!))).toEqual([...conversation.acked.keys()].sort());

      // The conversation goes on: a new message is acknowledged and answered by the bot. The burst may have left
      // more turns waiting than a conversation may queue (429, the flood limit) until the restarted server, or
      // with PostgreSQL the expiry of the killed server's turn lease, has answered them: a client retries then.
      const next = await postUntilAccepted(second.baseUrl, conversation, '怎么解绑诚信通？ #after-restart');
      expect(next).toBeTruthy();
      const deadline = Date.now() + 30_000;
      let replied = false;
      while (!replied && Date.now() < deadline) {
        const page = await readWholeHistory(second.baseUrl, conversation);
        replied = page.some((a) => a.from?.role === 'bot' && a.replyToId === next);
        if (!replied) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(replied, 'the bot answers after the restart').toBe(true);
    }
    await second.stop();

    // The transcript (what staff read in the console) holds every acknowledged message and every reply.
    for (const conversation of conversations) {
      const transcript = await transcriptOf(temp.dir, env, conversation.id);
      const byId = new Map(transcript.map((a) => [a.id, a]));
      for (const [id, text] of conversation.acked) {
        expect(byId.get(id)?.text, `transcript has acknowledged ${id}`).toBe(text);
        expect(byId.get(id)?.from.role).toBe('user');
      }
      for (const [id, text] of conversation.botSeen) expect(byId.get(id)?.text, `transcript has reply ${id}`).toBe(text);
      expect(transcript.some((a) => a.text === '怎么解绑诚信通？ #after-restart')).toBe(true);
      const ids = transcript.filter((a) => a.id).map((a) => `${a.type}:${a.id}`);
      expect(new Set(ids).size, 'no duplicated transcript line').toBe(ids.length);
    }
  });
});
