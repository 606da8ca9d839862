import { afterEach, describe, expect, it } from 'vitest';
import { createInMemoryHandoffRepositories } from '../../src/handoff/in-memory.repositories.js';
import type { ConversationRecord, HandoffRepositories, RecognitionRecord } from '../../src/handoff/ports.js';
import { createLogger } from '../../src/logger.js';
import { createSqliteStores } from '../../src/storage/create-sqlite-stores.js';
import { PgCallbackRepository } from '../../src/storage/postgres/pg-callback.repository.js';
import { PgConversationIndex } from '../../src/storage/postgres/pg-conversation-index.repository.js';
import type { PgDatabase } from '../../src/storage/postgres/pg-database.js';
import { PgRatingRepository } from '../../src/storage/postgres/pg-rating.repository.js';
import { PgRecognitionLog } from '../../src/storage/postgres/pg-recognition-log.repository.js';
import { PgTranscriptStore } from '../../src/storage/postgres/pg-transcript.store.js';
import { pgTestFileSchema, type PgTestDatabase } from './pg-test-schema.js';
import { makeTempDataDir } from './temp-data-dir.js';

interface Harness {
  readonly repos: HandoffRepositories;
  restart?(): HandoffRepositories | Promise<HandoffRepositories>;
  dispose(): void | Promise<void>;
}

type Factory = () => Harness | Promise<Harness>;

const logger = createLogger('silent');

function sqliteHarness(): Harness {
  const temp = makeTempDataDir();
  let stores = createSqliteStores(temp.dir, logger);
  return {
    repos: stores.handoff,
    restart: () => {
      stores.close();
      stores = createSqliteStores(temp.dir, logger);
      return stores.handoff;
    },
    dispose: () => {
      stores.close();
      temp.remove();
    },
  };
}

/** The handoff repositories of one PostgreSQL instance (a pool). */
function pgRepositories(database: PgDatabase): HandoffRepositories {
  const { pool } = database;
  return {
    conversations: new PgConversationIndex(pool),
    recognitions: new PgRecognitionLog(pool),
    callbacks: new PgCallbackRepository(pool),
    ratings: new PgRatingRepository(pool),
    transcriptSearch: new PgTranscriptStore(pool),
  };
}

const pgSchema = pgTestFileSchema();
let pgTest: PgTestDatabase | undefined;

async function pgHarness(): Promise<Harness> {
  const test = await pgSchema.open();
  pgTest = test;
  return {
    repos: pgRepositories(test.database),
    restart: async () => pgRepositories(await test.reopen()),
    dispose: () => test.dispose(),
  };
}

const implementations: ReadonlyArray<readonly [string, Factory]> = [
  ['in-memory', () => ({ repos: createInMemoryHandoffRepositories(), dispose: () => undefined })],
  ['SQLite', sqliteHarness],
  ['PostgreSQL', pgHarness],
];

const at = (minute: number): string => new Date(Date.UTC(2026, 10, 26, 8, minute)).toISOString();

const record = (id: string, minute: number, overrides: Partial<ConversationRecord> = {}): ConversationRecord => ({
  conversationId: id,
  channelId: 'directline',
  locale: 'zh-CN',
  handoffState: 'bot',
  assignedAgent: null,
  createdAt: at(minute),
  lastActivityAt: at(minute),
  waitingSince: null,
  handoffRequestedAt: null,
  caseSummary: null,
  lastSellerText: null,
  reference: null,
  ...overrides,
});

const recognition = (n: number, overrides: Partial<RecognitionRecord> = {}): RecognitionRecord => ({
  conversationId: 'c1',
  activityId: `a${n}`,
  text: `text ${n}`,
  intent: 'faq.one_click_unbind',
  score: 0.8,
  ambiguous: false,
  at: at(n),
  ...overrides,
});

/** A conversation as the handoff middleware first records it (touch with nothing to patch). */
const seed = (conversations: HandoffRepositories['conversations'], initial: ConversationRecord): Promise<ConversationRecord> =>
  conversations.touch(initial, () => ({}));

describe.each(implementations)('handoff repositories contract: %s', (_name, create) => {
  let harness: Harness;
  afterEach(() => harness.dispose());
  const open = async (): Promise<HandoffRepositories> => {
    harness = await create();
    return harness.repos;
  };

  describe('conversation index', () => {
    it('touch with an empty patch creates a record once; the existing record wins', async () => {
      const { conversations } = await open();
      expect(await conversations.get('c1')).toBeUndefined();
      const first = record('c1', 1, { locale: 'en' });
      expect(await seed(conversations, first)).toEqual(first);
      expect(await seed(conversations, record('c1', 5))).toEqual(first);
      expect(await conversations.get('c1')).toEqual(first);
    });

    it('round-trips every field, including the case card and the conversation reference', async () => {
      const { conversations } = await open();
      const full = record('c1', 1, {
        handoffState: 'queued',
        waitingSince: at(2),
        handoffRequestedAt: at(2),
        caseSummary: {
          reason: 'seller_request',
          locale: 'zh-CN',
          intents: [{ text: '转人工', intent: 'handoff.human', score: 0.93 }],
          scenario: 'scenario.close_store',
          step: 'askInventory',
          answers: { store: '速卖通' },
        },
        lastSellerText: '<img src=x onerror=alert(1)>',
        reference: { conversation: { id: 'c1' }, serviceUrl: 'http://localhost' },
      });
      await seed(conversations, full);
      expect(await conversations.get('c1')).toEqual(full);
    });

    it('patches fields and keeps id and creation time', async () => {
      const { conversations } = await open();
      await seed(conversations, record('c1', 1));
      const updated = await conversations.update('c1', { lastActivityAt: at(9), lastSellerText: '还在吗' });
      expect(updated).toEqual({ ...record('c1', 1), lastActivityAt: at(9), lastSellerText: '还在吗' });
      expect(await conversations.get('c1')).toEqual(updated);
      expect(await conversations.update('missing', { locale: 'en' })).toBeUndefined();
    });

    it('update ignores fields given as undefined (they mean "not given"), like touch', async () => {
      const { conversations } = await open();
      await seed(conversations, record('c1', 1, { locale: 'en', lastSellerText: 'hello' }));
      const updated = await conversations.update('c1', { locale: undefined, lastSellerText: undefined, lastActivityAt: at(3) });
      expect(updated).toEqual({ ...record('c1', 1, { locale: 'en', lastSellerText: 'hello' }), lastActivityAt: at(3) });
      expect(await conversations.get('c1')).toEqual(updated);
    });

    it('hands out copies: changing a record read, returned or given changes nothing stored', async () => {
      const { conversations, recognitions, callbacks, ratings } = await open();
      const given = record('c1', 1, { reference: { conversation: { id: 'c1' } } });
      const seeded = await seed(conversations, given);
      (given as { locale: string }).locale = 'en';
      (seeded as { handoffState: string }).handoffState = 'agent';
      const read = await conversations.get('c1');
      (read!.reference!['conversation'] as { id: string }).id = 'other';
      const updated = await conversations.update('c1', { lastSellerText: 'x' });
      (updated as { assignedAgent: string | null }).assignedAgent = 'mallory';
      ((await conversations.list())[0] as { lastSellerText: string | null }).lastSellerText = 'mutated';
      expect(await conversations.get('c1')).toEqual({ ...record('c1', 1, { reference: { conversation: { id: 'c1' } } }), lastSellerText: 'x' });

      const given2 = recognition(1);
      await recognitions.append(given2);
      (given2 as { intent: string }).intent = 'changed';
      ((await recognitions.listByConversation('c1'))[0] as { score: number }).score = 0;
      expect((await recognitions.listByConversation('c1'))[0]).toMatchObject({ intent: 'faq.one_click_unbind', score: 0.8 });

      const callback = { id: 'cb1', conversationId: 'c1', name: 'Wang', phone: '13800138000', locale: 'zh-CN', createdAt: at(1), status: 'open' as const, handledBy: null };
      await callbacks.add(callback);
      (callback as { name: string }).name = 'changed';
      ((await callbacks.list())[0] as { status: string }).status = 'done';
      expect((await callbacks.list())[0]).toMatchObject({ name: 'Wang', status: 'open' });

      const rating = { id: 'r1', conversationId: 'c1', score: 5, agent: 'alice', createdAt: at(1) };
      await ratings.add(rating);
      (rating as { score: number }).score = 1;
      ((await ratings.list())[0] as { agent: string | null }).agent = null;
      expect((await ratings.list())[0]).toMatchObject({ score: 5, agent: 'alice' });
    });

    it('touch inserts a new record with its patch, then patches the stored one from what it holds', async () => {
      const { conversations } = await open();
      const seen: ConversationRecord[] = [];
      const first = await conversations.touch(record('c1', 1), (existing) => {
        seen.push(existing);
        return { lastSellerText: '你好', assignedAgent: undefined };
      });
      expect(first).toEqual({ ...record('c1', 1), lastSellerText: '你好' });
      await conversations.update('c1', { handoffState: 'closed' });
      const second = await conversations.touch(record('c1', 7, { locale: 'en' }), (existing) => {
        seen.push(existing);
        return { lastActivityAt: at(7), handoffState: existing.handoffState === 'closed' ? 'bot' : existing.handoffState };
      });
      // The stored record wins over the new initial one (locale, creation time); only the patch changes it.
      expect(second).toEqual({ ...record('c1', 1), lastSellerText: '你好', lastActivityAt: at(7) });
      expect(await conversations.get('c1')).toEqual(second);
      expect(seen.map((r) => r.handoffState)).toEqual(['bot', 'closed']);
      expect((await conversations.list({ states: ['bot'] })).map((r) => r.conversationId)).toEqual(['c1']);
    });

    it('compare-and-set: only the first of two staff takes a queued conversation over', async () => {
      const { conversations } = await open();
      await seed(conversations, record('c1', 1, { handoffState: 'queued', waitingSince: at(1) }));
      const [a, b] = await Promise.all([
        conversations.update('c1', { handoffState: 'agent', assignedAgent: 'li', waitingSince: null }, 'queued'),
        conversations.update('c1', { handoffState: 'agent', assignedAgent: 'wang', waitingSince: null }, 'queued'),
      ]);
      expect(a?.assignedAgent).toBe('li');
      expect(b).toBeUndefined();
      expect(await conversations.get('c1')).toMatchObject({ handoffState: 'agent', assignedAgent: 'li', waitingSince: null });
    });

    it('lists newest activity first, filtered by state and by ids, with a limit', async () => {
      const { conversations } = await open();
      await seed(conversations, record('old-bot', 1));
      await seed(conversations, record('queued', 2, { handoffState: 'queued' }));
      await seed(conversations, record('agent', 3, { handoffState: 'agent', assignedAgent: 'li' }));
      await seed(conversations, record('new-bot', 4));
      await conversations.update('old-bot', { lastActivityAt: at(10) });
      expect((await conversations.list()).map((r) => r.conversationId)).toEqual(['old-bot', 'new-bot', 'agent', 'queued']);
      expect((await conversations.list({ states: ['queued', 'agent'] })).map((r) => r.conversationId)).toEqual([
        'agent',
        'queued',
      ]);
      expect((await conversations.list({ states: [] })).length).toBe(4);
      expect(
        (await conversations.list({ conversationIds: ['queued', 'new-bot', 'nope'] })).map((r) => r.conversationId),
      ).toEqual(['new-bot', 'queued']);
      expect(await conversations.list({ conversationIds: [] })).toEqual([]);
      expect((await conversations.list({ limit: 2 })).map((r) => r.conversationId)).toEqual(['old-bot', 'new-bot']);
    });

    it('lists conversations created since a time, newest first', async () => {
      const { conversations } = await open();
      for (const [id, minute] of [['a', 1], ['b', 5], ['c', 9]] as const) await seed(conversations, record(id, minute));
      expect((await conversations.listCreatedSince(at(5))).map((r) => r.conversationId)).toEqual(['c', 'b']);
    });
  });

  describe('recognition log', () => {
    it('keeps recognitions per conversation in arrival order', async () => {
      const { recognitions } = await open();
      await recognitions.append(recognition(1));
      await recognitions.append(recognition(2, { conversationId: 'c2' }));
      await recognitions.append(recognition(3, { ambiguous: true, score: 0.41 }));
      expect(await recognitions.listByConversation('c1')).toEqual([recognition(1), recognition(3, { ambiguous: true, score: 0.41 })]);
      expect(await recognitions.listByConversation('none')).toEqual([]);
    });

    it('lists since a time and the latest not-understood messages, newest first', async () => {
      const { recognitions } = await open();
      for (let n = 1; n <= 6; n++) {
        await recognitions.append(recognition(n, n % 2 === 0 ? { intent: 'none', score: 0.1 } : {}));
      }
      expect((await recognitions.listSince(at(3), 10)).map((r) => r.activityId)).toEqual(['a6', 'a5', 'a4', 'a3']);
      expect((await recognitions.listSince(at(3), 2)).map((r) => r.activityId)).toEqual(['a6', 'a5']);
      expect((await recognitions.latestNotUnderstood(2)).map((r) => r.activityId)).toEqual(['a6', 'a4']);
    });
  });

  describe('callbacks', () => {
    const callback = (id: string, minute: number) => ({
      id,
      conversationId: 'c1',
      name: '王先生',
      phone: '13122891139',
      locale: 'zh-CN',
      createdAt: at(minute),
      status: 'open' as const,
      handledBy: null,
    });

    it('lists newest first, filters by status, and marks requests done', async () => {
      const { callbacks } = await open();
      await callbacks.add(callback('cb1', 1));
      await callbacks.add(callback('cb2', 2));
      await callbacks.add(callback('cb3', 3));
      expect((await callbacks.list()).map((c) => c.id)).toEqual(['cb3', 'cb2', 'cb1']);
      const done = await callbacks.setStatus('cb2', 'done', 'li');
      expect(done).toEqual({ ...callback('cb2', 2), status: 'done', handledBy: 'li' });
      expect((await callbacks.list({ status: 'open' })).map((c) => c.id)).toEqual(['cb3', 'cb1']);
      expect((await callbacks.list({ status: 'done' })).map((c) => c.id)).toEqual(['cb2']);
      expect((await callbacks.list({ limit: 1 })).map((c) => c.id)).toEqual(['cb3']);
      expect(await callbacks.setStatus('missing', 'done', 'li')).toBeUndefined();
    });
  });

  describe('ratings', () => {
    it('lists ratings newest first with a limit', async () => {
      const { ratings } = await open();
      for (let n = 1; n <= 3; n++) {
        await ratings.add({ id: `r${n}`, conversationId: `c${n}`, score: n + 2, agent: n === 1 ? null : 'li', createdAt: at(n) });
      }
      expect(await ratings.list({ limit: 2 })).toEqual([
        { id: 'r3', conversationId: 'c3', score: 5, agent: 'li', createdAt: at(3) },
        { id: 'r2', conversationId: 'c2', score: 4, agent: 'li', createdAt: at(2) },
      ]);
      expect((await ratings.list()).map((r) => r.agent)).toEqual(['li', 'li', null]);
    });
  });
});

describe.each([implementations[1]!, implementations[2]!])('handoff repositories durability: %s', (_name, create) => {
  let harness: Harness;
  afterEach(() => harness.dispose());

  it('keeps the index, recognitions, callbacks and ratings across a restart', async () => {
    harness = await create();
    const before = harness.repos;
    await seed(before.conversations, record('c1', 1, { handoffState: 'queued', waitingSince: at(1) }));
    await before.recognitions.append(recognition(1, { intent: 'none' }));
    await before.callbacks.add({
      id: 'cb1', conversationId: 'c1', name: 'Li', phone: '+86 131 2289 1139', locale: 'en', createdAt: at(2), status: 'open', handledBy: null,
    });
    await before.ratings.add({ id: 'r1', conversationId: 'c1', score: 5, agent: 'li', createdAt: at(3) });
    const after = await harness.restart!();
    expect((await after.conversations.list({ states: ['queued'] })).map((r) => r.conversationId)).toEqual(['c1']);
    expect(await after.recognitions.latestNotUnderstood(5)).toHaveLength(1);
    expect((await after.callbacks.list({ status: 'open' }))[0]?.phone).toBe('+86 131 2289 1139');
    expect((await after.ratings.list())[0]?.score).toBe(5);
  });

  it('refuses a rating outside 1..5 at the database too', async () => {
    harness = await create();
    await expect(
      harness.repos.ratings.add({ id: 'bad', conversationId: 'c1', score: 6, agent: null, createdAt: at(1) }),
    ).rejects.toThrow(/check constraint/i);
  });

  it('searches transcripts through the handoff port', async () => {
    harness = await create();
    expect(await harness.repos.transcriptSearch.searchConversations('诚信通', 10)).toEqual([]);
  });
});

describe('PostgreSQL conversation index across instances', () => {
  let harness: Harness;
  afterEach(() => harness.dispose());

  it('exactly one of many staff on two instances takes each queued conversation over', async () => {
    harness = await pgHarness();
    const instances = [harness.repos.conversations, pgRepositories(await pgTest!.another()).conversations];
    const ids = Array.from({ length: 10 }, (_, n) => `queued-${n}`);
    for (const id of ids) await seed(instances[0]!, record(id, 1, { handoffState: 'queued', waitingSince: at(1) }));
    const agents = ['li', 'wang', 'zhao', 'chen', 'liu', 'sun'];
    const attempts = ids.flatMap((id) =>
      agents.map((agent, n) =>
        instances[n % 2]!.update(id, { handoffState: 'agent', assignedAgent: agent, waitingSince: null }, 'queued'),
      ),
    );
    const results = await Promise.all(attempts);
    for (const [index, id] of ids.entries()) {
      const winners = results.slice(index * agents.length, (index + 1) * agents.length).filter((r) => r !== undefined);
      expect(winners).toHaveLength(1);
      // What the winner was told is what every instance reads.
      for (const instance of instances) {
        expect(await instance.get(id)).toMatchObject({ handoffState: 'agent', assignedAgent: winners[0]!.assignedAgent });
      }
    }
  });

  it('touches from two instances at once lose no patch (each is computed from the stored record)', async () => {
    harness = await pgHarness();
    const instances = [harness.repos.conversations, pgRepositories(await pgTest!.another()).conversations];
    const touches = Array.from({ length: 20 }, (_, n) =>
      instances[n % 2]!.touch(record('c1', 1, { lastSellerText: '' }), (existing) => ({
        lastSellerText: `${existing.lastSellerText ?? ''}${n % 10}`,
      })),
    );
    await Promise.all(touches);
    const stored = await instances[1]!.get('c1');
    expect(stored?.lastSellerText).toHaveLength(20);
    expect([...stored!.lastSellerText!].sort().join('')).toBe('00112233445566778899');
  });
});
