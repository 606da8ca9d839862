import type { Activity } from 'botbuilder';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { createSqliteStores } from '../../src/storage/create-sqlite-stores.js';
import { createPgStores } from '../../src/storage/postgres/create-pg-stores.js';
import type { Stores } from '../../src/storage/stores.js';
import { pgTestSchema, type PgTestSchema } from './pg-test-schema.js';
import { makeTempDataDir } from './temp-data-dir.js';

const logger = createLogger('silent');

/** Opens the product's stores on `dir` (and, for PostgreSQL, the test schema), as a server start does. */
type Opener = (dir: string, schema: PgTestSchema, options?: { recoverTranscripts?: boolean }) => Promise<Stores>;

const storages: ReadonlyArray<readonly [string, Opener]> = [
  ['SQLite', async (dir, _schema, options) => createSqliteStores(dir, logger, options)],
  [
    'PostgreSQL',
    (_dir, schema, options) =>
      createPgStores({ connectionString: schema.connectionString, schema: schema.schema, ...options }, logger),
  ],
];

const fromDirectLine = (conversationId: string, n: number, role: 'user' | 'bot', text: string): Partial<Activity> => ({
  type: 'message',
  id: `${conversationId}|${String(n).padStart(7, '0')}`,
  timestamp: new Date(Date.UTC(2026, 10, 26, 8, 0, n)),
  channelId: 'directline',
  conversation: { id: conversationId } as Activity['conversation'],
  from: { id: role === 'user' ? 'dl_u1' : 'cxt-bot', name: '', role },
  text,
});

/** Appends as the channel does (the store stamps the same id and timestamp as fromDirectLine gives). */
async function append(stores: Stores, conversationId: string, activity: Partial<Activity>): Promise<void> {
  const { id: _id, timestamp, ...rest } = activity;
  await stores.conversations.append(conversationId, [rest], new Date(timestamp!).getTime(), activity.from?.role === 'user');
}

describe.each(storages)('start-up reconciliation of the transcript with the Direct Line history (%s)', (_name, open) => {
  let temp: ReturnType<typeof makeTempDataDir>;
  let schema: PgTestSchema;
  let stores: Stores | undefined;
  afterEach(async () => {
    await stores?.close();
    temp.remove();
    await schema.drop();
  });

  it('copies acknowledged activities the transcript missed and reports the turns that never ran', async () => {
    temp = makeTempDataDir();
    schema = pgTestSchema();
    stores = await open(temp.dir, schema);
    expect(stores.recovered).toEqual({ backfilled: 0, unanswered: [] });
    await stores.conversations.createConversation({ id: 'c1', userId: 'dl_u1', locale: 'zh-CN', createdAt: new Date().toISOString() });
    const history = [
      fromDirectLine('c1', 1, 'user', '怎么解绑诚信通'),
      fromDirectLine('c1', 2, 'bot', '请先确认店铺状态'),
      fromDirectLine('c1', 3, 'user', '店铺已关闭'),
      fromDirectLine('c1', 4, 'user', '还在吗'),
    ];
    for (const activity of history) await append(stores, 'c1', activity);
    // The first turn completed (seller message and reply logged); the process died before the next turns started.
    await stores.transcripts.logActivity(history[0] as Activity);
    await stores.transcripts.logActivity(history[1] as Activity);
    await stores.close();

    stores = await open(temp.dir, schema);
    expect(stores.recovered.backfilled).toBe(2);
    expect(stores.recovered.unanswered.map((u) => [u.conversationId, u.activity.text])).toEqual([
      ['c1', '店铺已关闭'],
      ['c1', '还在吗'],
    ]);
    const page = await stores.transcripts.getTranscriptActivities('directline', 'c1');
    expect(page.items.map((a) => `${a.from.role}:${a.text}`)).toEqual([
      'user:怎么解绑诚信通',
      'bot:请先确认店铺状态',
      'user:店铺已关闭',
      'user:还在吗',
    ]);
    // Replaying a reported turn logs the seller activity again: still one line.
    await stores.transcripts.logActivity(history[2] as Activity);
    expect((await stores.transcripts.getTranscriptActivities('directline', 'c1')).items).toHaveLength(4);
    await stores.close();

    stores = await open(temp.dir, schema);
    expect(stores.recovered).toEqual({ backfilled: 0, unanswered: [] });
  });
});

describe('start-up with hostile rows in the Direct Line history', () => {
  it('skips a row SQLite cannot read as JSON (nested 1,500 levels) and still repairs the others', async () => {
    const temp = makeTempDataDir();
    try {
      let stores = createSqliteStores(temp.dir, logger);
      await stores.conversations.createConversation({ id: 'c1', userId: 'dl_u1', locale: 'zh-CN', createdAt: new Date().toISOString() });
      // As stored before input limits existed: acknowledged, and the process died before its turn.
      const hostile = { ...fromDirectLine('c1', 1, 'user', 'deep'), value: JSON.parse('['.repeat(1500) + ']'.repeat(1500)) };
      await append(stores, 'c1', hostile);
      await append(stores, 'c1', fromDirectLine('c1', 2, 'user', '还在吗'));
      stores.close();

      stores = createSqliteStores(temp.dir, logger);
      expect(stores.recovered.backfilled).toBe(1);
      expect(stores.recovered.unanswered.map((u) => u.activity.text)).toEqual(['还在吗']);
      expect((await stores.transcripts.getTranscriptActivities('directline', 'c1')).items.map((a) => a.text)).toEqual(['还在吗']);
      stores.close();
    } finally {
      temp.remove();
    }
  });
});

describe.each(storages)('tools opening the database beside a running server (%s)', (_name, open) => {
  it('leave the transcript alone with recoverTranscripts: false', async () => {
    const temp = makeTempDataDir();
    const schema = pgTestSchema();
    try {
      const server = await open(temp.dir, schema);
      await server.conversations.createConversation({ id: 'c1', userId: 'dl_u1', locale: 'zh-CN', createdAt: new Date().toISOString() });
      await append(server, 'c1', fromDirectLine('c1', 1, 'user', '转人工'));
      // As the channel does before it acknowledges; until then the server's batch holds the write lock.
      const tool = await open(temp.dir, schema, { recoverTranscripts: false });
      expect(tool.recovered).toEqual({ backfilled: 0, unanswered: [] });
      expect((await tool.transcripts.getTranscriptActivities('directline', 'c1')).items).toEqual([]);
      await tool.close();
      await server.close();
    } finally {
      temp.remove();
      await schema.drop();
    }
  });
});

describe('PostgreSQL start-up reconciliation with an unreadable history row', () => {
  it('skips the row, backfills the rest and starts', async () => {
    const temp = makeTempDataDir();
    const schema = pgTestSchema();
    const open = storages[1]![1];
    try {
      let stores = await open(temp.dir, schema);
      await stores.conversations.createConversation({ id: 'c1', userId: 'dl_u1', locale: 'zh-CN', createdAt: new Date().toISOString() });
      await append(stores, 'c1', fromDirectLine('c1', 1, 'user', '怎么解绑诚信通'));
      await stores.close();
      // A row written before input limits existed, say: not JSON at all.
      const raw = new pg.Client({ connectionString: schema.connectionString });
      await raw.connect();
      await raw.query(`INSERT INTO ${schema.schema}.directline_activities (conversation_id, watermark, timestamp_ms, json) VALUES ('c1', 2, 0, '{not json')`);
      await raw.end();
      stores = await open(temp.dir, schema);
      expect(stores.recovered.backfilled).toBe(1);
      expect(stores.recovered.unanswered.map((u) => u.activity.text)).toEqual(['怎么解绑诚信通']);
      await stores.close();
    } finally {
      temp.remove();
      await schema.drop();
    }
  });
});
