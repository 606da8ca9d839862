import type { Activity } from 'botbuilder';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { createSqliteStores, type SqliteStores } from '../../src/storage/create-sqlite-stores.js';
import { makeTempDataDir } from './temp-data-dir.js';

const logger = createLogger('silent');

const fromDirectLine = (conversationId: string, n: number, role: 'user' | 'bot', text: string): Partial<Activity> => ({
  type: 'message',
  id: `${conversationId}|${String(n).padStart(7, '0')}`,
  timestamp: new Date(Date.UTC(2026, 10, 26, 8, 0, n)),
  channelId: 'directline',
  conversation: { id: conversationId } as Activity['conversation'],
  from: { id: role === 'user' ? 'dl_u1' : 'cxt-bot', name: '', role },
  text,
});

describe('start-up reconciliation of the transcript with the Direct Line history', () => {
  let temp: ReturnType<typeof makeTempDataDir>;
  let stores: SqliteStores | undefined;
  afterEach(() => {
    stores?.close();
    temp.remove();
  });

  it('copies acknowledged activities the transcript missed and reports the turns that never ran', async () => {
    temp = makeTempDataDir();
    stores = createSqliteStores(temp.dir, logger);
    expect(stores.recovered).toEqual({ backfilled: 0, unanswered: [] });
    stores.conversations.createConversation({ id: 'c1', userId: 'dl_u1', locale: 'zh-CN', createdAt: new Date().toISOString() });
    const history = [
      fromDirectLine('c1', 1, 'user', '怎么解绑诚信通'),
      fromDirectLine('c1', 2, 'bot', '请先确认店铺状态'),
      fromDirectLine('c1', 3, 'user', '店铺已关闭'),
      fromDirectLine('c1', 4, 'user', '还在吗'),
    ];
    for (const activity of history) stores.conversations.appendActivity('c1', activity);
    // The first turn completed (seller message and reply logged); the process died before the next turns started.
    await stores.transcripts.logActivity(history[0] as Activity);
    await stores.transcripts.logActivity(history[1] as Activity);
    stores.close();

    stores = createSqliteStores(temp.dir, logger);
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
    stores.close();

    stores = createSqliteStores(temp.dir, logger);
    expect(stores.recovered).toEqual({ backfilled: 0, unanswered: [] });
  });
});

describe('start-up with hostile rows in the Direct Line history', () => {
  it('skips a row SQLite cannot read as JSON (nested 1,500 levels) and still repairs the others', async () => {
    const temp = makeTempDataDir();
    try {
      let stores = createSqliteStores(temp.dir, logger);
      stores.conversations.createConversation({ id: 'c1', userId: 'dl_u1', locale: 'zh-CN', createdAt: new Date().toISOString() });
      // As stored before input limits existed: acknowledged, and the process died before its turn.
      const hostile = { ...fromDirectLine('c1', 1, 'user', 'deep'), value: JSON.parse('['.repeat(1500) + ']'.repeat(1500)) };
      stores.conversations.appendActivity('c1', hostile);
      stores.conversations.appendActivity('c1', fromDirectLine('c1', 2, 'user', '还在吗'));
      await stores.conversations.durable();
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

describe('tools opening the database beside a running server', () => {
  it('leave the transcript alone with recoverTranscripts: false', async () => {
    const temp = makeTempDataDir();
    try {
      const server = createSqliteStores(temp.dir, logger);
      server.conversations.createConversation({ id: 'c1', userId: 'dl_u1', locale: 'zh-CN', createdAt: new Date().toISOString() });
      server.conversations.appendActivity('c1', fromDirectLine('c1', 1, 'user', '转人工'));
      // As the channel does before it acknowledges; until then the server's batch holds the write lock.
      await server.conversations.durable();
      const tool = createSqliteStores(temp.dir, logger, { recoverTranscripts: false });
      expect(tool.recovered).toEqual({ backfilled: 0, unanswered: [] });
      expect((await tool.transcripts.getTranscriptActivities('directline', 'c1')).items).toEqual([]);
      tool.close();
      server.close();
    } finally {
      temp.remove();
    }
  });
});
