import { afterEach, describe, expect, it } from 'vitest';
import type { AsyncConversationStore, NewActivity } from '../../src/channels/directline/async-conversation-store.js';
import { SyncStoreAdapter } from '../../src/channels/directline/sync-store-adapter.js';
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
    store: new SyncStoreAdapter(new SqliteConversationStore(database.db)),
    restart: async () => {
      database.close();
      database = SqliteDatabase.open(temp.dir);
      return new SyncStoreAdapter(new SqliteConversationStore(database.db));
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
  ['memory', () => ({ store: new SyncStoreAdapter(new MemoryConversationStore()), dispose: () => undefined })],
  ['SQLite', sqliteHarness],
  ['PostgreSQL', pgHarness],
];

const conversation = (id: string): StoredConversation => ({
  id,
  userId: `dl_user-${id}`,
  locale: 'zh-CN',
  createdAt: '2026-11-26T08:00:00.000Z',
});

/** An activity as the channel hands it to the store (no id or timestamp yet; channelData kept). */
const sellerMessage = (n: number): NewActivity => ({
  type: 'message',
  from: { id: 'dl_user', name: '', role: 'user' },
  text: `第${n}条消息`,
  channelData: { clientActivityID: `client-${n}` },
});

const T0 = Date.parse('2026-11-26T08:00:00.000Z');

/** Appends one activity, as the channel does for a seller message; resolves with its watermark. */
const appendOne = async (store: AsyncConversationStore, id: string, activity: NewActivity, now = T0): Promise<number> =>
  (await store.append(id, [activity], now, true))[0]!.watermark;

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

  it('numbers activities 1, 2, 3... per conversation, ids them by watermark, and refuses unknown conversations', async () => {
    const store = await open();
    await store.createConversation(conversation('c1'));
    await store.createConversation(conversation('c2'));
    expect(await store.lastWatermark('c1')).toBe(0);
    for (const n of [1, 2, 3]) expect(await appendOne(store, 'c1', sellerMessage(n))).toBe(n);
    const [other] = await store.append('c2', [sellerMessage(9)], T0, true);
    expect(other).toMatchObject({ watermark: 1, activity: { id: 'c2|0000001', text: '第9条消息' } });
    expect(await store.lastWatermark('c1')).toBe(3);
    expect(await store.lastWatermark('missing')).toBe(0);
    await expect(store.append('missing', [sellerMessage(1)], T0, true)).rejects.toThrow(/unknown conversation/);
  });

  it('gives a batch consecutive watermarks and timestamps strictly increasing, never before now', async () => {
    const store = await open();
    await store.createConversation(conversation('c1'));
    const first = await store.append('c1', [sellerMessage(1), sellerMessage(2), sellerMessage(3)], T0, false);
    expect(first.map((entry) => entry.watermark)).toEqual([1, 2, 3]);
    // A clock that went back (another instance's) still yields later timestamps.
    const second = await store.append('c1', [sellerMessage(4)], T0 - 60_000, true);
    const later = await store.append('c1', [sellerMessage(5)], T0 + 3_600_000, true);
    const stamps = [...first, ...second, ...later].map((entry) => new Date(entry.activity.timestamp!).getTime());
    expect(stamps[0]).toBe(T0);
    expect(stamps.slice(0, 4)).toEqual([T0, T0 + 1, T0 + 2, T0 + 3]);
    expect(stamps[4]).toBe(T0 + 3_600_000);
    const read = await store.activitiesAfter('c1', 0);
    expect(read.map((entry) => new Date(entry.activity.timestamp!).getTime())).toEqual(stamps);
    expect(read.map((entry) => entry.activity.id)).toEqual([1, 2, 3, 4, 5].map((w) => `c1|000000${w}`));
  });

  it('replays history after a watermark, oldest first, intact, within the limit', async () => {
    const store = await open();
    await store.createConversation(conversation('c1'));
    const appended = [];
    for (let n = 1; n <= 5; n++) appended.push(...(await store.append('c1', [sellerMessage(n)], T0 + n, true)));
    expect((await store.activitiesAfter('c1', 0)).map((a) => a.watermark)).toEqual([1, 2, 3, 4, 5]);
    const json = (entries: { watermark: number; activity: unknown }[]): unknown => JSON.parse(JSON.stringify(entries));
    expect(json(await store.activitiesAfter('c1', 3))).toEqual(json(appended.slice(3)));
    expect((await store.activitiesAfter('c1', 3))[0]!.activity).toMatchObject({ text: '第4条消息', channelData: { clientActivityID: 'client-4' } });
    expect(await store.activitiesAfter('c1', 5)).toEqual([]);
    expect(await store.activitiesAfter('missing', 0)).toEqual([]);
    expect((await store.activitiesAfter('c1', 1, 2)).map((a) => a.watermark)).toEqual([2, 3]);
    expect(await store.activitiesAfter('c1', 0, 0)).toEqual([]);
  });

  it('numbers concurrent appends without gaps or repeats', async () => {
    const store = await open();
    await store.createConversation(conversation('c1'));
    const stored = await Promise.all(Array.from({ length: 20 }, (_, n) => store.append('c1', [sellerMessage(n)], T0, true)));
    const watermarks = stored.map(([entry]) => entry!.watermark);
    expect([...watermarks].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, n) => n + 1));
    const history = await store.activitiesAfter('c1', 0);
    // Each activity is stored under the watermark its append returned.
    expect(history.map((entry) => entry.activity.text)).toEqual(
      Array.from({ length: 20 }, (_, w) => `第${watermarks.indexOf(w + 1)}条消息`),
    );
  });
});

describe.each([implementations[1]!, implementations[2]!])('AsyncConversationStore durability: %s', (_name, create) => {
  let harness: Harness;
  afterEach(() => harness.dispose());

  it('resumes a conversation after a restart: same conversation, same history, numbering and clock continue', async () => {
    harness = await create();
    await harness.store.createConversation(conversation('c1'));
    for (let n = 1; n <= 3; n++) await appendOne(harness.store, 'c1', sellerMessage(n), T0 + 1000);
    const reopened = await harness.restart!();
    expect(await reopened.getConversation('c1')).toEqual(conversation('c1'));
    expect((await reopened.activitiesAfter('c1', 1)).map((a) => a.activity.text)).toEqual(['第2条消息', '第3条消息']);
    const [next] = await reopened.append('c1', [sellerMessage(4)], T0, true);
    expect(next!.watermark).toBe(4);
    expect(new Date(next!.activity.timestamp!).getTime()).toBe(T0 + 1003);
  });
});

describe('SyncStoreAdapter over SQLite', () => {
  it('never shows an activity whose commit is still pending', async () => {
    const temp = makeTempDataDir();
    const database = SqliteDatabase.open(temp.dir);
    try {
      const store = new SyncStoreAdapter(new SqliteConversationStore(database.db));
      await store.createConversation(conversation('c1'));
      await appendOne(store, 'c1', sellerMessage(1));
      const pending = store.append('c1', [sellerMessage(2)], T0, true);
      // Written to the connection, not yet committed: the same connection could read it, the adapter does not.
      expect((await store.activitiesAfter('c1', 0)).map((a) => a.watermark)).toEqual([1]);
      expect(await store.lastWatermark('c1')).toBe(1);
      await pending;
      expect((await store.activitiesAfter('c1', 0)).map((a) => a.watermark)).toEqual([1, 2]);
    } finally {
      database.close();
      temp.remove();
    }
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
      Array.from({ length: 40 }, (_, n) => appendOne(instances[n % 2]!, 'c1', sellerMessage(n))),
    );
    expect(new Set(watermarks).size).toBe(40);
    const history = await instances[1]!.activitiesAfter('c1', 0);
    expect(history.map((entry) => entry.watermark)).toEqual(Array.from({ length: 40 }, (_, n) => n + 1));
    expect(new Set(history.map((entry) => entry.activity.id)).size).toBe(40);
    const stamps = history.map((entry) => new Date(entry.activity.timestamp!).getTime());
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
    expect(new Set(stamps).size).toBe(40);
    expect(await instances[0]!.lastWatermark('c1')).toBe(40);
  });
});
