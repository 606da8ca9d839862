import type { Activity } from 'botbuilder';
import { afterEach, describe, expect, it } from 'vitest';
import {
  toAsyncConversationStore,
  type AsyncConversationStore,
} from '../../src/channels/directline/async-conversation-store.js';
import type { StoredConversation } from '../../src/channels/directline/conversation-store.js';
import { MemoryConversationStore } from '../../src/channels/directline/memory-conversation-store.js';
import { PgConversationStore } from '../../src/storage/postgres/pg-conversation.store.js';
import { SqliteConversationStore } from '../../src/storage/sqlite-conversation.store.js';
import { SqliteDatabase } from '../../src/storage/sqlite-database.js';
import { pgTestFileSchema, type PgTestDatabase } from './pg-test-schema.js';
import { makeTempDataDir } from './temp-data-dir.js';

interface Harness {
  readonly store: AsyncConversationStore;
  restart?(): Promise<AsyncConversationStore>;
  dispose(): void | Promise<void>;
}

function sqliteHarness(): Harness {
  const temp = makeTempDataDir();
  let database = SqliteDatabase.open(temp.dir);
  return {
    store: toAsyncConversationStore(new SqliteConversationStore(database.db)),
    restart: async () => {
      database.close();
      database = SqliteDatabase.open(temp.dir);
      return toAsyncConversationStore(new SqliteConversationStore(database.db));
    },
    dispose: () => {
      database.close();
      temp.remove();
    },
  };
}

const pgSchema = pgTestFileSchema();
let pgTest: PgTestDatabase | undefined;

async function pgHarness(): Promise<Harness> {
  const test = await pgSchema.open();
  pgTest = test;
  return {
    store: new PgConversationStore(test.database.pool),
    restart: async () => new PgConversationStore((await test.reopen()).pool),
    dispose: () => test.dispose(),
  };
}

const implementations: ReadonlyArray<readonly [string, () => Harness | Promise<Harness>]> = [
  ['memory', () => ({ store: toAsyncConversationStore(new MemoryConversationStore()), dispose: () => undefined })],
  ['SQLite', sqliteHarness],
  ['PostgreSQL', pgHarness],
];

const conversation = (id: string): StoredConversation => ({
  id,
  userId: `dl_user-${id}`,
  locale: 'zh-CN',
  createdAt: '2026-11-26T08:00:00.000Z',
});

/** An activity as the channel pushes it to Web Chat (JSON-safe: ISO timestamp, channelData kept). */
const sellerMessage = (n: number): Partial<Activity> => ({
  type: 'message',
  id: `act-${n}`,
  timestamp: `2026-11-26T08:00:${String(n).padStart(2, '0')}.000Z` as unknown as Date,
  from: { id: 'dl_user', name: '', role: 'user' },
  text: `第${n}条消息`,
  channelData: { clientActivityID: `client-${n}` },
});

describe.each(implementations)('AsyncConversationStore contract: %s', (_name, create) => {
  let harness: Harness;
  afterEach(() => harness.dispose());
  const open = async (): Promise<AsyncConversationStore> => {
    harness = await create();
    return harness.store;
  };

  it('creates and reads conversations once; unknown ids are undefined', async () => {
    const store = await open();
    await store.createConversation(conversation('c1'));
    expect(await store.getConversation('c1')).toEqual(conversation('c1'));
    expect(await store.getConversation('c2')).toBeUndefined();
    await expect(store.createConversation({ ...conversation('c1'), userId: 'someone-else' })).rejects.toThrow(/already exists/);
    expect((await store.getConversation('c1'))?.userId).toBe('dl_user-c1');
  });

  it('numbers activities 1, 2, 3... per conversation and refuses unknown conversations', async () => {
    const store = await open();
    await store.createConversation(conversation('c1'));
    await store.createConversation(conversation('c2'));
    expect(await store.lastWatermark('c1')).toBe(0);
    for (const n of [1, 2, 3]) expect(await store.appendActivity('c1', sellerMessage(n))).toBe(n);
    expect(await store.appendActivity('c2', sellerMessage(9))).toBe(1);
    expect(await store.lastWatermark('c1')).toBe(3);
    expect(await store.lastWatermark('missing')).toBe(0);
    await expect(store.appendActivity('missing', sellerMessage(1))).rejects.toThrow(/unknown conversation/);
  });

  it('replays history after a watermark, oldest first, intact, within the limit', async () => {
    const store = await open();
    await store.createConversation(conversation('c1'));
    for (let n = 1; n <= 5; n++) await store.appendActivity('c1', sellerMessage(n));
    expect((await store.activitiesAfter('c1', 0)).map((a) => a.watermark)).toEqual([1, 2, 3, 4, 5]);
    expect(await store.activitiesAfter('c1', 3)).toEqual([
      { watermark: 4, activity: sellerMessage(4) },
      { watermark: 5, activity: sellerMessage(5) },
    ]);
    expect(await store.activitiesAfter('c1', 5)).toEqual([]);
    expect(await store.activitiesAfter('missing', 0)).toEqual([]);
    expect((await store.activitiesAfter('c1', 1, 2)).map((a) => a.watermark)).toEqual([2, 3]);
    expect(await store.activitiesAfter('c1', 0, 0)).toEqual([]);
  });

  it('numbers concurrent appends without gaps or repeats', async () => {
    const store = await open();
    await store.createConversation(conversation('c1'));
    const watermarks = await Promise.all(Array.from({ length: 20 }, (_, n) => store.appendActivity('c1', sellerMessage(n))));
    expect([...watermarks].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, n) => n + 1));
    const history = await store.activitiesAfter('c1', 0);
    // Each activity is stored under the watermark its append returned.
    expect(history.map((entry) => entry.activity.id)).toEqual(
      Array.from({ length: 20 }, (_, w) => `act-${watermarks.indexOf(w + 1)}`),
    );
  });
});

describe.each([implementations[1]!, implementations[2]!])('AsyncConversationStore durability: %s', (_name, create) => {
  let harness: Harness;
  afterEach(() => harness.dispose());

  it('resumes a conversation after a restart: same conversation, same history, numbering continues', async () => {
    harness = await create();
    await harness.store.createConversation(conversation('c1'));
    for (let n = 1; n <= 3; n++) await harness.store.appendActivity('c1', sellerMessage(n));
    const reopened = await harness.restart!();
    expect(await reopened.getConversation('c1')).toEqual(conversation('c1'));
    expect((await reopened.activitiesAfter('c1', 1)).map((a) => a.activity.text)).toEqual(['第2条消息', '第3条消息']);
    expect(await reopened.appendActivity('c1', sellerMessage(4))).toBe(4);
  });
});

describe('PgConversationStore across instances', () => {
  let harness: Harness;
  afterEach(() => harness.dispose());

  it('two instances appending to one conversation at once number its activities 1..N, each once', async () => {
    harness = await pgHarness();
    const instances = [harness.store, new PgConversationStore((await pgTest!.another()).pool)];
    await instances[0]!.createConversation(conversation('c1'));
    const watermarks = await Promise.all(
      Array.from({ length: 40 }, (_, n) => instances[n % 2]!.appendActivity('c1', sellerMessage(n))),
    );
    expect(new Set(watermarks).size).toBe(40);
    const history = await instances[1]!.activitiesAfter('c1', 0);
    expect(history.map((entry) => entry.watermark)).toEqual(Array.from({ length: 40 }, (_, n) => n + 1));
    expect(new Set(history.map((entry) => entry.activity.id)).size).toBe(40);
    expect(await instances[0]!.lastWatermark('c1')).toBe(40);
  });
});
