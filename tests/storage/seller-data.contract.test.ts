import type { Activity } from 'botbuilder';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import type { SellerDataCounts } from '../../src/privacy/seller-data.js';
import { createMemoryStores } from '../../src/storage/create-memory-stores.js';
import { createSqliteStores } from '../../src/storage/create-sqlite-stores.js';
import { createPgStores } from '../../src/storage/postgres/create-pg-stores.js';
import type { Stores } from '../../src/storage/stores.js';
import { truncateAll, pgTestSchema } from './pg-test-schema.js';
import { makeTempDataDir } from './temp-data-dir.js';
import { daysAgo, seedConversation, SELLER_A as A, SELLER_B as B } from './seed-seller-data.js';

interface Harness {
  readonly stores: Stores;
  /** Reopens the stores on the same data (SQLite, PostgreSQL); the memory stores stay as they are. */
  reopen(): Promise<Stores>;
  dispose(): Promise<void>;
}

const logger = createLogger('silent');
const pgSchema = pgTestSchema();
afterAll(() => pgSchema.drop());

async function sqliteHarness(): Promise<Harness> {
  const temp = makeTempDataDir('cxt-seller-data-');
  let stores = createSqliteStores(temp.dir, logger);
  return {
    get stores() {
      return stores;
    },
    reopen: async () => {
      stores.close();
      stores = createSqliteStores(temp.dir, logger);
      return stores;
    },
    dispose: async () => {
      stores.close();
      temp.remove();
    },
  };
}

async function memoryHarness(): Promise<Harness> {
  const stores = createMemoryStores(logger);
  return { stores, reopen: async () => stores, dispose: async () => undefined };
}

/** The PostgreSQL stores on the file's schema, emptied first: what a restarted instance opens. */
async function pgHarness(): Promise<Harness> {
  const open = () => createPgStores({ connectionString: pgSchema.connectionString, schema: pgSchema.schema, poolMax: 4 }, logger);
  let stores = await open();
  await truncateAll(stores.database);
  return {
    get stores() {
      return stores;
    },
    reopen: async () => {
      await stores.close();
      stores = await open();
      return stores;
    },
    dispose: async () => stores.close(),
  };
}

/** What the stores still hold about a conversation, counted through their public interfaces. */
async function held(stores: Stores, id: string) {
  return {
    directLine: (await stores.conversations.getConversation(id)) !== undefined,
    history: (await stores.conversations.activitiesAfter(id, 0)).length,
    transcript: (await stores.transcripts.getTranscriptActivities('directline', id)).items.length,
    index: (await stores.handoff.conversations.get(id)) !== undefined,
    recognitions: (await stores.handoff.recognitions.listByConversation(id)).length,
    callbacks: (await stores.handoff.callbacks.list()).filter((c) => c.conversationId === id).length,
    ratings: (await stores.handoff.ratings.list()).filter((r) => r.conversationId === id).length,
    state: Object.keys(await stores.storage.read([`directline/conversations/${id}/ConversationState`])).length,
  };
}

const EVERYTHING = { directLine: true, history: 2, transcript: 2, index: true, recognitions: 1, callbacks: 1, ratings: 1, state: 1 };
const NOTHING = { directLine: false, history: 0, transcript: 0, index: false, recognitions: 0, callbacks: 0, ratings: 0, state: 0 };
const ONE_CONVERSATION: SellerDataCounts = {
  conversations: 1,
  transcriptLines: 2,
  historyActivities: 2,
  recognitions: 1,
  callbacks: 1,
  ratings: 1,
  handoffRecords: 1,
  stateItems: 1,
};

describe.each([
  ['in-memory', memoryHarness],
  ['SQLite', sqliteHarness],
  ['PostgreSQL', pgHarness],
] as const)('SellerDataStore (%s)', (_name, makeHarness) => {
  let harness: Harness;
  afterEach(() => harness.dispose());

  const seeded = async (): Promise<Stores> => {
    harness = await makeHarness();
    await seedConversation(harness.stores, A);
    await seedConversation(harness.stores, B);
    return harness.stores;
  };

  it('exports everything held about one conversation, and nothing of another seller', async () => {
    const stores = await seeded();
    const data = await stores.sellerData.export({ conversationId: A.id });
    expect(data.conversations).toHaveLength(1);
    const [conversation] = data.conversations;
    expect(conversation).toMatchObject({
      conversationId: A.id,
      directLine: { userId: A.user, locale: 'zh-CN' },
      handoff: { conversationId: A.id, assignedAgent: 'alice', lastSellerText: A.text },
      callbacks: [{ id: `cb-${A.id}`, phone: A.phone, name: '王先生' }],
      ratings: [{ score: 4, agent: 'alice' }],
      recognitions: [{ activityId: `${A.id}|1`, intent: 'none' }],
      state: { [`directline/conversations/${A.id}/ConversationState`]: { answers: { account: A.text } } },
    });
    expect(conversation?.transcript.map((a) => (a as Activity).text)).toEqual([A.text, '诚信通和速卖通没有系统绑定']);
    expect(conversation?.history.map((a) => (a as Activity).text)).toEqual([A.text, '诚信通和速卖通没有系统绑定']);
    // The history as the channel served it: its ids and times (kept in columns on PostgreSQL) as JSON gives them.
    expect(conversation?.history.map((a) => (a as Activity).id)).toEqual([`${A.id}|0000001`, `${A.id}|0000002`]);
    expect(conversation?.history.map((a) => (a as Activity).timestamp)).toEqual([0, 1].map((n) => new Date(daysAgo(A.ageDays).getTime() + n * 1000).toISOString()));
    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
    expect(JSON.stringify(data)).not.toContain(B.phone);
    expect(JSON.stringify(data)).not.toContain(B.text);
    expect(data.userState).toEqual({});
  });

  it('exports by user id, with the user state', async () => {
    const stores = await seeded();
    const data = await stores.sellerData.export({ userId: B.user });
    expect(data.conversations.map((c) => c.conversationId)).toEqual([B.id]);
    expect(data.userState).toEqual({ [`directline/users/${B.user}/UserState`]: expect.objectContaining({ locale: 'zh-CN' }) });
  });

  it('exports nothing for an unknown seller', async () => {
    const stores = await seeded();
    expect((await stores.sellerData.export({ conversationId: 'nobody' })).conversations).toEqual([]);
    expect((await stores.sellerData.export({ userId: 'nobody' })).conversations).toEqual([]);
  });

  it('erases one conversation everywhere and leaves the other seller whole (also after a restart)', async () => {
    const stores = await seeded();
    expect(await stores.sellerData.erase({ conversationId: A.id })).toEqual(ONE_CONVERSATION);
    const reopened = await harness.reopen();
    expect(await held(reopened, A.id)).toEqual(NOTHING);
    expect(await held(reopened, B.id)).toEqual(EVERYTHING);
    expect(await reopened.handoff.transcriptSearch.searchConversations('手机138', 10)).toEqual([]);
    expect(await reopened.sellerData.erase({ conversationId: A.id })).toMatchObject({ conversations: 0, transcriptLines: 0 });
  });

  it('erases by user id, including the user state', async () => {
    const stores = await seeded();
    expect(await stores.sellerData.erase({ userId: A.user })).toEqual({ ...ONE_CONVERSATION, stateItems: 2 });
    expect(await held(stores, A.id)).toEqual(NOTHING);
    expect(await stores.storage.read([`directline/users/${A.user}/UserState`])).toEqual({});
    expect(Object.keys(await stores.storage.read([`directline/users/${B.user}/UserState`]))).toHaveLength(1);
    expect(await held(stores, B.id)).toEqual(EVERYTHING);
  });

  it('retention: removes conversations idle for longer than the cutoff, and old rows of active ones', async () => {
    const stores = await seeded();
    // An old line and recognition inside B, which is still active.
    const old = daysAgo(45);
    await stores.transcripts.logActivity({
      type: 'message', id: `${B.id}|0`, text: '旧消息', timestamp: old, channelId: 'directline',
      conversation: { id: B.id }, from: { id: B.user, role: 'user' },
    } as Activity);
    await stores.handoff.recognitions.append({ conversationId: B.id, activityId: `${B.id}|0`, text: '旧消息', intent: 'none', score: 0.1, ambiguous: false, at: old.toISOString() });

    const counts = await stores.sellerData.purgeOlderThan(daysAgo(30));
    expect(counts).toMatchObject({ conversations: 1, transcriptLines: 3, historyActivities: 2, recognitions: 2, callbacks: 1, ratings: 1, handoffRecords: 1 });
    const reopened = await harness.reopen();
    expect(await held(reopened, A.id)).toEqual(NOTHING);
    expect(await held(reopened, B.id)).toEqual(EVERYTHING);
    expect((await reopened.sellerData.purgeOlderThan(daysAgo(30))).conversations).toBe(0);
  });
});

describe('PgSellerData across instances', () => {
  const opened: Stores[] = [];
  afterEach(async () => {
    for (const stores of opened.splice(0)) await stores.close();
  });

  it('two instances purging at the same time (as they do at start-up) remove the idle seller once, without error', async () => {
    const options = { connectionString: pgSchema.connectionString, schema: pgSchema.schema, poolMax: 4 };
    const first = await createPgStores(options, logger);
    opened.push(first);
    await truncateAll(first.database);
    const second = await createPgStores(options, logger);
    opened.push(second);
    await seedConversation(first, A);
    await seedConversation(first, B);

    const cutoff = daysAgo(30);
    const both = await Promise.all([first.sellerData.purgeOlderThan(cutoff), second.sellerData.purgeOlderThan(cutoff)]);
    const sum = (key: keyof SellerDataCounts) => both[0][key] + both[1][key];
    expect(Object.fromEntries(Object.keys(ONE_CONVERSATION).map((key) => [key, sum(key as keyof SellerDataCounts)]))).toMatchObject({
      conversations: 1,
      transcriptLines: 2,
      historyActivities: 2,
      callbacks: 1,
      handoffRecords: 1,
    });
    expect(await held(second, A.id)).toEqual(NOTHING);
    expect(await held(second, B.id)).toEqual(EVERYTHING);
  });
});
