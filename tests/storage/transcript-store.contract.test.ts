import { MemoryTranscriptStore as BotbuilderMemoryTranscriptStore, type Activity, type TranscriptStore } from 'botbuilder';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryTranscriptStore } from '../../src/storage/memory-transcript.store.js';
import type { SearchableTranscriptStore } from '../../src/storage/searchable-transcript-store.js';
import { SqliteDatabase } from '../../src/storage/sqlite-database.js';
import { SqliteTranscriptStore } from '../../src/storage/sqlite-transcript.store.js';
import { PgTranscriptStore } from '../../src/storage/postgres/pg-transcript.store.js';
import { pgTestFileSchema } from './pg-test-schema.js';
import { makeTempDataDir } from './temp-data-dir.js';

interface Harness<T> {
  readonly store: T;
  restart?(): T | Promise<T>;
  dispose(): void | Promise<void>;
}

const pgSchema = pgTestFileSchema();

async function pgHarness(): Promise<Harness<PgTranscriptStore>> {
  const test = await pgSchema.open();
  return {
    store: new PgTranscriptStore(test.database.pool),
    restart: async () => new PgTranscriptStore((await test.reopen()).pool),
    dispose: () => test.dispose(),
  };
}

function sqliteHarness(): Harness<SqliteTranscriptStore> {
  const temp = makeTempDataDir();
  let database = SqliteDatabase.open(temp.dir);
  return {
    store: new SqliteTranscriptStore(database.db),
    restart: () => {
      database.close();
      database = SqliteDatabase.open(temp.dir);
      return new SqliteTranscriptStore(database.db);
    },
    dispose: () => {
      database.close();
      temp.remove();
    },
  };
}

const T0 = Date.parse('2026-11-26T08:00:00.000Z');

/** An activity as the adapters log it. */
function activity(conversationId: string, n: number, overrides: Partial<Activity> = {}): Activity {
  return {
    type: 'message',
    id: `${conversationId}-a${n}`,
    channelId: 'directline',
    conversation: { id: conversationId },
    from: { id: 'seller-1', role: 'user' },
    recipient: { id: 'bot', role: 'bot' },
    timestamp: new Date(T0 + n * 1000),
    text: `message ${n}`,
    ...overrides,
  } as Activity;
}

async function readAll(store: TranscriptStore, channelId: string, conversationId: string, startDate?: Date) {
  const items: Activity[] = [];
  const pageSizes: number[] = [];
  let token: string | undefined;
  do {
    const page = await store.getTranscriptActivities(channelId, conversationId, token, startDate);
    items.push(...page.items);
    pageSizes.push(page.items.length);
    token = page.continuationToken;
  } while (token);
  return { items, pageSizes };
}

type Factory<T> = () => Harness<T> | Promise<Harness<T>>;

const basic: ReadonlyArray<readonly [string, Factory<TranscriptStore>]> = [
  ['botbuilder MemoryTranscriptStore (reference)', () => ({ store: new BotbuilderMemoryTranscriptStore(), dispose: () => undefined })],
  ['MemoryTranscriptStore', () => ({ store: new MemoryTranscriptStore(), dispose: () => undefined })],
  ['SqliteTranscriptStore', sqliteHarness],
  ['PgTranscriptStore', pgHarness],
];

describe.each(basic)('TranscriptStore contract: %s', (_name, create) => {
  let harness: Harness<TranscriptStore>;
  afterEach(() => harness.dispose());
  const open = async (): Promise<TranscriptStore> => {
    harness = await create();
    return harness.store;
  };

  it('returns a conversation in timestamp order, whatever order it was logged in', async () => {
    const store = await open();
    for (const n of [3, 1, 2]) await store.logActivity(activity('c1', n));
    await store.logActivity(activity('c2', 0));
    const { items } = await readAll(store, 'directline', 'c1');
    expect(items.map((a) => a.text)).toEqual(['message 1', 'message 2', 'message 3']);
  });

  it('keeps every field, and the timestamp as a Date', async () => {
    const store = await open();
    const logged = activity('c1', 1, {
      text: '如何解绑诚信通账号？',
      channelData: { clientActivityID: 'abc' },
      locale: 'zh-CN',
    });
    await store.logActivity(logged);
    const [read] = (await store.getTranscriptActivities('directline', 'c1')).items;
    expect(read).toMatchObject({
      id: 'c1-a1',
      text: '如何解绑诚信通账号？',
      channelData: { clientActivityID: 'abc' },
      from: { id: 'seller-1', role: 'user' },
      locale: 'zh-CN',
    });
    expect(read!.timestamp).toBeInstanceOf(Date);
    expect((read!.timestamp as Date).getTime()).toBe(T0 + 1000);
  });

  it('records every kind of activity (events, traces, agent messages)', async () => {
    const store = await open();
    await store.logActivity(activity('c1', 1, { type: 'event', name: 'handoff.initiate', value: { reason: 'fallback' }, text: undefined }));
    await store.logActivity(activity('c1', 2, { type: 'trace', name: 'nlu.recognition', value: { intent: 'none' }, text: undefined }));
    await store.logActivity(activity('c1', 3, { from: { id: 'agent:li', name: 'Li', role: 'agent' } as Activity['from'] }));
    const { items } = await readAll(store, 'directline', 'c1');
    expect(items.map((a) => [a.type, a.name ?? a.from.role])).toEqual([
      ['event', 'handoff.initiate'],
      ['trace', 'nlu.recognition'],
      ['message', 'agent'],
    ]);
  });

  it('pages 45 activities by 20 with continuation tokens, without gaps or repeats', async () => {
    const store = await open();
    for (let n = 1; n <= 45; n++) await store.logActivity(activity('c1', n));
    const first = await store.getTranscriptActivities('directline', 'c1');
    expect(first.items).toHaveLength(20);
    expect(first.continuationToken).toBeTruthy();
    const { items, pageSizes } = await readAll(store, 'directline', 'c1');
    expect(pageSizes).toEqual([20, 20, 5]);
    expect(items.map((a) => a.id)).toEqual(Array.from({ length: 45 }, (_, i) => `c1-a${i + 1}`));
  });

  it('filters by startDate (inclusive) and pages within the filter', async () => {
    const store = await open();
    for (let n = 1; n <= 30; n++) await store.logActivity(activity('c1', n));
    const { items } = await readAll(store, 'directline', 'c1', new Date(T0 + 6000));
    expect(items.map((a) => a.id)).toEqual(Array.from({ length: 25 }, (_, i) => `c1-a${i + 6}`));
  });

  it('gives an empty last page for an unknown conversation', async () => {
    const store = await open();
    const page = await store.getTranscriptActivities('directline', 'missing');
    expect(page.items).toEqual([]);
    expect(page.continuationToken).toBeFalsy();
  });

  it('lists the conversations of a channel by creation time, paged', async () => {
    const store = await open();
    for (let n = 25; n >= 1; n--) await store.logActivity(activity(`conv-${String(n).padStart(2, '0')}`, n));
    await store.logActivity(activity('other-channel', 0, { channelId: 'emulator' }));
    await store.logActivity(activity('conv-01', 99)); // later activity does not change the creation time
    const ids: string[] = [];
    let token: string | undefined;
    do {
      const page = await store.listTranscripts('directline', token);
      ids.push(...page.items.map((item) => item.id));
      token = page.continuationToken;
    } while (token);
    expect(ids).toEqual(Array.from({ length: 25 }, (_, i) => `conv-${String(i + 1).padStart(2, '0')}`));
    const first = (await store.listTranscripts('directline')).items[0]!;
    expect(first).toMatchObject({ channelId: 'directline', id: 'conv-01' });
    expect(new Date(first.created).getTime()).toBe(T0 + 1000);
  });

  it('deletes one conversation and nothing else', async () => {
    const store = await open();
    await store.logActivity(activity('c1', 1));
    await store.logActivity(activity('c2', 2));
    await store.deleteTranscript('directline', 'c1');
    expect((await store.getTranscriptActivities('directline', 'c1')).items).toEqual([]);
    expect((await store.getTranscriptActivities('directline', 'c2')).items).toHaveLength(1);
    expect((await store.listTranscripts('directline')).items.map((i) => i.id)).toEqual(['c2']);
  });

  it('refuses calls without a channel or conversation id', async () => {
    const store = await open();
    await expect(async () => store.getTranscriptActivities('', 'c1')).rejects.toThrow(/channelId/i);
    await expect(async () => store.getTranscriptActivities('directline', '')).rejects.toThrow(/conversationId/i);
    await expect(async () => store.deleteTranscript('directline', '')).rejects.toThrow(/conversationId/i);
    await expect(async () => store.listTranscripts('')).rejects.toThrow(/channelId/i);
  });
});

const searchable: ReadonlyArray<readonly [string, Factory<SearchableTranscriptStore>]> = [
  ['MemoryTranscriptStore', () => ({ store: new MemoryTranscriptStore(), dispose: () => undefined })],
  ['SqliteTranscriptStore', sqliteHarness],
  ['PgTranscriptStore', pgHarness],
];

describe.each(searchable)('transcript search contract: %s', (_name, create) => {
  let harness: Harness<SearchableTranscriptStore>;
  afterEach(() => harness.dispose());
  const seeded = async (): Promise<SearchableTranscriptStore> => {
    harness = await create();
    const store = harness.store;
    await store.logActivity(activity('c1', 1, { text: '我想解绑诚信通账号' }));
    await store.logActivity(activity('c1', 2, { text: 'Which documents do I need?', from: { id: 'bot', name: 'bot', role: 'bot' } }));
    await store.logActivity(activity('c2', 3, { text: '速卖通店铺关店后还能解绑吗' }));
    await store.logActivity(activity('c3', 4, { text: 'close my STORE please' }));
    await store.logActivity(activity('c3', 5, { type: 'event', name: 'handoff.initiate', text: undefined }));
    await store.logActivity(activity('c4', 6, { text: '50% off? "quoted" AND NOT* (x)' }));
    return store;
  };

  it('finds Chinese substrings of three characters or more', async () => {
    const store = await seeded();
    const hits = await store.searchTranscripts('诚信通');
    expect(hits.map((h) => [h.conversationId, h.text])).toEqual([['c1', '我想解绑诚信通账号']]);
    expect(hits[0]).toMatchObject({ channelId: 'directline', activityId: 'c1-a1', type: 'message', fromRole: 'user' });
    expect(hits[0]!.timestamp.getTime()).toBe(T0 + 1000);
  });

  it('finds one- and two-character Chinese terms too, newest first', async () => {
    const store = await seeded();
    expect((await store.searchTranscripts('解绑')).map((h) => h.conversationId)).toEqual(['c2', 'c1']);
    expect((await store.searchTranscripts('店')).map((h) => h.conversationId)).toEqual(['c2']);
  });

  it('ignores Latin letter case and requires every term', async () => {
    const store = await seeded();
    expect((await store.searchTranscripts('store')).map((h) => h.conversationId)).toEqual(['c3']);
    expect((await store.searchTranscripts('CLOSE please')).map((h) => h.conversationId)).toEqual(['c3']);
    expect(await store.searchTranscripts('close documents')).toEqual([]);
    expect((await store.searchTranscripts('速卖通 吗')).map((h) => h.conversationId)).toEqual(['c2']);
  });

  it('treats search syntax typed by staff as literal text', async () => {
    const store = await seeded();
    expect((await store.searchTranscripts('"quoted"')).map((h) => h.conversationId)).toEqual(['c4']);
    expect((await store.searchTranscripts('NOT*')).map((h) => h.conversationId)).toEqual(['c4']);
    expect((await store.searchTranscripts('50%')).map((h) => h.conversationId)).toEqual(['c4']);
    expect(await store.searchTranscripts('5_%')).toEqual([]);
    expect((await store.searchTranscripts('(x)')).map((h) => h.conversationId)).toEqual(['c4']);
    expect((await store.searchTranscripts('quoted\u0000AND')).map((h) => h.conversationId)).toEqual(['c4']);
  });

  it('returns nothing for an empty query and honours the limit', async () => {
    const store = await seeded();
    expect(await store.searchTranscripts('   ')).toEqual([]);
    for (let n = 10; n < 30; n++) await store.logActivity(activity('c5', n, { text: `解绑 question ${n}` }));
    const hits = await store.searchTranscripts('解绑', 5);
    expect(hits.map((h) => h.text)).toEqual([29, 28, 27, 26, 25].map((n) => `解绑 question ${n}`));
  });

  it('answers the console with distinct conversation ids, newest first', async () => {
    const store = await seeded();
    await store.logActivity(activity('c1', 9, { text: '还是要解绑' }));
    expect(await store.searchConversations('解绑', 10)).toEqual(['c1', 'c2']);
    expect(await store.searchConversations('解绑', 1)).toEqual(['c1']);
  });

  it('records an activity once even when it is logged again (retried write, replayed turn)', async () => {
    const store = await seeded();
    await store.logActivity(activity('c1', 1, { text: '我想解绑诚信通账号' }));
    await store.logActivity(activity('c1', 1, { type: 'messageUpdate', text: '我想解绑诚信通账号（改）' }));
    await store.logActivity(activity('c1', 7, { id: undefined, text: 'no id' }));
    await store.logActivity(activity('c1', 7, { id: undefined, text: 'no id' }));
    const { items } = await readAll(store, 'directline', 'c1');
    expect(items.map((a) => `${a.type}:${a.text}`)).toEqual([
      'message:我想解绑诚信通账号',
      'messageUpdate:我想解绑诚信通账号（改）',
      'message:Which documents do I need?',
      'message:no id',
      'message:no id',
    ]);
    expect(await store.searchTranscripts('诚信通账号')).toHaveLength(2);
  });

  it('accepts an activity again after its transcript was deleted', async () => {
    const store = await seeded();
    await store.deleteTranscript('directline', 'c1');
    await store.logActivity(activity('c1', 1, { text: '我想解绑诚信通账号' }));
    expect((await readAll(store, 'directline', 'c1')).items).toHaveLength(1);
  });

  it('forgets deleted transcripts', async () => {
    const store = await seeded();
    await store.deleteTranscript('directline', 'c1');
    expect(await store.searchTranscripts('诚信通')).toEqual([]);
    expect(await store.searchTranscripts('解绑')).toHaveLength(1);
  });
});

const durable: ReadonlyArray<readonly [string, Factory<SearchableTranscriptStore>]> = [
  ['SqliteTranscriptStore', sqliteHarness],
  ['PgTranscriptStore', pgHarness],
];

describe.each(durable)('durability: %s', (_name, create) => {
  let harness: Harness<SearchableTranscriptStore>;
  afterEach(() => harness.dispose());

  it('keeps transcripts, listings and the search index across a reopen', async () => {
    harness = await create();
    for (let n = 1; n <= 21; n++) await harness.store.logActivity(activity('c1', n, { text: `第${n}条 解绑诚信通` }));
    const page = await harness.store.getTranscriptActivities('directline', 'c1');
    const reopened = await harness.restart!();
    const { items } = await readAll(reopened, 'directline', 'c1');
    expect(items).toHaveLength(21);
    // A continuation token handed out before the restart still works after it.
    const next = await reopened.getTranscriptActivities('directline', 'c1', page.continuationToken);
    expect(next.items.map((a) => a.text)).toEqual(['第21条 解绑诚信通']);
    expect((await reopened.listTranscripts('directline')).items.map((i) => i.id)).toEqual(['c1']);
    expect(await reopened.searchTranscripts('解绑诚信通', 100)).toHaveLength(21);
  });

  it('rejects a forged continuation token with a stable code', async () => {
    harness = await create();
    await expect(harness.store.getTranscriptActivities('directline', 'c1', 'DROP TABLE')).rejects.toMatchObject({
      code: 'STORAGE_BAD_ARGUMENT',
    });
  });
});
