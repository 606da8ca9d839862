import type { Activity } from 'botbuilder';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationStore, StoredConversation } from '../../src/channels/directline/conversation-store.js';
import { MemoryConversationStore } from '../../src/channels/directline/memory-conversation-store.js';
import { SqliteConversationStore } from '../../src/storage/sqlite-conversation.store.js';
import { SqliteDatabase } from '../../src/storage/sqlite-database.js';
import { makeTempDataDir } from './temp-data-dir.js';

interface Harness {
  readonly store: ConversationStore;
  restart?(): ConversationStore;
  dispose(): void;
}

function sqliteHarness(): Harness {
  const temp = makeTempDataDir();
  let database = SqliteDatabase.open(temp.dir);
  return {
    store: new SqliteConversationStore(database.db),
    restart: () => {
      database.close();
      database = SqliteDatabase.open(temp.dir);
      return new SqliteConversationStore(database.db);
    },
    dispose: () => {
      database.close();
      temp.remove();
    },
  };
}

const implementations: ReadonlyArray<readonly [string, () => Harness]> = [
  ['MemoryConversationStore', () => ({ store: new MemoryConversationStore(), dispose: () => undefined })],
  ['SqliteConversationStore', sqliteHarness],
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
  // The channel keeps ISO strings (what Web Chat receives); botbuilder's type says Date.
  timestamp: `2026-11-26T08:00:${String(n).padStart(2, '0')}.000Z` as unknown as Date,
  from: { id: 'dl_user', name: '', role: 'user' },
  text: `第${n}条消息`,
  channelData: { clientActivityID: `client-${n}` },
});

describe.each(implementations)('ConversationStore contract: %s', (_name, create) => {
  let harness: Harness;
  afterEach(() => harness.dispose());
  const open = (): ConversationStore => {
    harness = create();
    return harness.store;
  };

  it('creates and reads conversations; unknown ids are undefined', () => {
    const store = open();
    store.createConversation(conversation('c1'));
    expect(store.getConversation('c1')).toEqual(conversation('c1'));
    expect(store.getConversation('c2')).toBeUndefined();
  });

  it('refuses to create the same conversation twice', () => {
    const store = open();
    store.createConversation(conversation('c1'));
    expect(() => store.createConversation({ ...conversation('c1'), userId: 'someone-else' })).toThrow(/already exists/);
    expect(store.getConversation('c1')?.userId).toBe('dl_user-c1');
  });

  it('numbers activities 1, 2, 3... per conversation', () => {
    const store = open();
    store.createConversation(conversation('c1'));
    store.createConversation(conversation('c2'));
    expect(store.lastWatermark('c1')).toBe(0);
    expect([1, 2, 3].map((n) => store.appendActivity('c1', sellerMessage(n)))).toEqual([1, 2, 3]);
    expect(store.appendActivity('c2', sellerMessage(9))).toBe(1);
    expect(store.lastWatermark('c1')).toBe(3);
    expect(store.lastWatermark('missing')).toBe(0);
  });

  it('refuses activities for an unknown conversation', () => {
    const store = open();
    expect(() => store.appendActivity('missing', sellerMessage(1))).toThrow(/unknown conversation/);
  });

  it('replays history after a watermark, oldest first, with the activity intact', () => {
    const store = open();
    store.createConversation(conversation('c1'));
    for (let n = 1; n <= 5; n++) store.appendActivity('c1', sellerMessage(n));
    expect(store.activitiesAfter('c1', 0).map((a) => a.watermark)).toEqual([1, 2, 3, 4, 5]);
    expect(store.activitiesAfter('c1', 3)).toEqual([
      { watermark: 4, activity: sellerMessage(4) },
      { watermark: 5, activity: sellerMessage(5) },
    ]);
    expect(store.activitiesAfter('c1', 5)).toEqual([]);
    expect(store.activitiesAfter('missing', 0)).toEqual([]);
  });

  it('honours the limit', () => {
    const store = open();
    store.createConversation(conversation('c1'));
    for (let n = 1; n <= 5; n++) store.appendActivity('c1', sellerMessage(n));
    expect(store.activitiesAfter('c1', 1, 2).map((a) => a.watermark)).toEqual([2, 3]);
    expect(store.activitiesAfter('c1', 0, 0)).toEqual([]);
  });

  it('stores a copy: later changes to the appended object do not leak in', () => {
    const store = open();
    store.createConversation(conversation('c1'));
    const activity = sellerMessage(1);
    store.appendActivity('c1', activity);
    activity.text = 'changed';
    expect(store.activitiesAfter('c1', 0)[0]?.activity.text).toBe('第1条消息');
  });

  it('hands out copies: changing what a read returned changes nothing stored', () => {
    const store = open();
    store.createConversation(conversation('c1'));
    store.appendActivity('c1', sellerMessage(1));
    const read = store.activitiesAfter('c1', 0)[0]!.activity;
    read.text = 'changed';
    read.from!.id = 'agent:someone';
    const stored = store.getConversation('c1')!;
    (stored as { userId: string }).userId = 'changed';
    expect(store.activitiesAfter('c1', 0)[0]?.activity).toEqual(sellerMessage(1));
    expect(store.getConversation('c1')).toEqual(conversation('c1'));
  });

  it('gives a Date timestamp back as its ISO text, as JSON would', () => {
    const store = open();
    store.createConversation(conversation('c1'));
    store.appendActivity('c1', { ...sellerMessage(1), timestamp: new Date('2026-11-30T08:00:00.000Z') });
    expect(store.activitiesAfter('c1', 0)[0]?.activity.timestamp).toBe('2026-11-30T08:00:00.000Z');
  });
});

describe('SqliteConversationStore durability', () => {
  let harness: Harness;
  afterEach(() => harness.dispose());

  it('resumes a conversation after a restart: same conversation, same history, numbering continues', () => {
    harness = sqliteHarness();
    harness.store.createConversation(conversation('c1'));
    for (let n = 1; n <= 3; n++) harness.store.appendActivity('c1', sellerMessage(n));
    const reopened = harness.restart!();
    expect(reopened.getConversation('c1')).toEqual(conversation('c1'));
    expect(reopened.activitiesAfter('c1', 1).map((a) => a.activity.text)).toEqual(['第2条消息', '第3条消息']);
    expect(reopened.appendActivity('c1', sellerMessage(4))).toBe(4);
  });
});
