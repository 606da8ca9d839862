import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, type Migration } from '../../src/storage/migrations/index.js';
import { migrate } from '../../src/storage/migrator.js';
import { DATABASE_FILE_NAME, SqliteDatabase } from '../../src/storage/sqlite-database.js';
import { SqliteStorage } from '../../src/storage/sqlite.storage.js';
import { SqliteTranscriptStore } from '../../src/storage/sqlite-transcript.store.js';
import { SqliteConversationStore } from '../../src/storage/sqlite-conversation.store.js';
import { makeTempDataDir } from './temp-data-dir.js';

describe('SqliteDatabase', () => {
  let temp: ReturnType<typeof makeTempDataDir>;
  const opened: SqliteDatabase[] = [];
  const open = (dir: string, migrations?: readonly Migration[]): SqliteDatabase => {
    const database = SqliteDatabase.open(dir, migrations ? { migrations } : {});
    opened.push(database);
    return database;
  };
  afterEach(() => {
    for (const database of opened.splice(0)) database.close();
    temp?.remove();
  });

  it('creates the data directory and the file on first start, in WAL mode with synchronous=NORMAL', () => {
    temp = makeTempDataDir();
    const dir = join(temp.dir, 'nested', 'data');
    const database = open(dir);
    expect(existsSync(join(dir, DATABASE_FILE_NAME))).toBe(true);
    expect(database.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(database.db.pragma('synchronous', { simple: true })).toBe(1);
    expect(database.migration).toMatchObject({ from: 0, to: MIGRATIONS.length });
  });

  it('can fsync every commit (synchronous=FULL) for power-loss durability', () => {
    temp = makeTempDataDir();
    const database = SqliteDatabase.open(temp.dir, { synchronous: 'FULL' });
    opened.push(database);
    expect(database.db.pragma('synchronous', { simple: true })).toBe(2);
  });

  it('records every applied migration in order and applies nothing on the next start', () => {
    temp = makeTempDataDir();
    open(temp.dir).close();
    const again = open(temp.dir);
    expect(again.migration).toEqual({ from: MIGRATIONS.length, to: MIGRATIONS.length, applied: [] });
    const rows = again.db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
  });

  it('upgrades a database written by an older version and keeps its data', async () => {
    temp = makeTempDataDir();
    const old = open(temp.dir, MIGRATIONS.slice(0, 1));
    expect(old.migration.to).toBe(1);
    await new SqliteStorage(old.db).write({ 'conv/1': { step: 'askStore' } });
    await new SqliteTranscriptStore(old.db).logActivity({
      type: 'message',
      channelId: 'directline',
      conversation: { id: 'c1' },
      from: { id: 'u1', role: 'user' },
      text: '解绑诚信通',
    } as never);
    expect(() => new SqliteConversationStore(old.db)).toThrow(/no such table/);
    old.close();

    const upgraded = open(temp.dir);
    expect(upgraded.migration).toEqual({
      from: 1,
      to: MIGRATIONS.length,
      applied: MIGRATIONS.slice(1).map((m) => m.name),
    });
    expect((await new SqliteStorage(upgraded.db).read(['conv/1']))['conv/1']).toMatchObject({ step: 'askStore' });
    expect(await new SqliteTranscriptStore(upgraded.db).searchConversations('诚信通', 10)).toEqual(['c1']);
    const conversations = new SqliteConversationStore(upgraded.db);
    conversations.createConversation({ id: 'c1', userId: 'u1', locale: 'zh-CN', createdAt: new Date().toISOString() });
    expect(conversations.appendActivity('c1', { type: 'message', text: 'hi' })).toBe(1);
  });

  it('refuses a database from a newer build', () => {
    temp = makeTempDataDir();
    open(temp.dir).close();
    expect(() => open(temp.dir, MIGRATIONS.slice(0, 1))).toThrow(
      expect.objectContaining({ code: 'STORAGE_SCHEMA_TOO_NEW' }),
    );
  });

  it('rolls a failing migration back entirely and stays at the previous version', () => {
    temp = makeTempDataDir();
    const broken: Migration = {
      version: MIGRATIONS.length + 1,
      name: 'test.broken',
      sql: 'CREATE TABLE half_done (x INTEGER); INSERT INTO no_such_table VALUES (1);',
    };
    expect(() => open(temp.dir, [...MIGRATIONS, broken])).toThrow(/no_such_table/);
    const database = open(temp.dir);
    expect(database.migration.from).toBe(MIGRATIONS.length);
    const table = database.db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get();
    expect(table).toBeUndefined();
  });

  it('refuses a migration list with gaps', () => {
    temp = makeTempDataDir();
    const database = open(temp.dir);
    expect(() => migrate(database.db, [MIGRATIONS[0]!, MIGRATIONS[2]!])).toThrow(
      expect.objectContaining({ code: 'STORAGE_MIGRATIONS_INVALID' }),
    );
  });

  it('closes twice without error', () => {
    temp = makeTempDataDir();
    const database = open(temp.dir);
    database.close();
    database.close();
    expect(database.isOpen).toBe(false);
  });
});

describe('migration 4 (transcript activity identity)', () => {
  it('removes duplicate transcript lines of an older file, search index included', async () => {
    const temp = makeTempDataDir();
    try {
      const old = SqliteDatabase.open(temp.dir, { migrations: MIGRATIONS.slice(0, 3) });
      const store = new SqliteTranscriptStore(old.db);
      const line = {
        type: 'message', id: 'a1', channelId: 'directline', conversation: { id: 'c1' }, from: { id: 'u', role: 'user' }, text: '解绑诚信通',
      } as never;
      await store.logActivity(line);
      await store.logActivity(line);
      expect(await store.searchTranscripts('诚信通')).toHaveLength(2);
      old.close();

      const upgraded = SqliteDatabase.open(temp.dir);
      const after = new SqliteTranscriptStore(upgraded.db);
      expect((await after.getTranscriptActivities('directline', 'c1')).items).toHaveLength(1);
      expect(await after.searchTranscripts('诚信通')).toHaveLength(1);
      upgraded.close();
    } finally {
      temp.remove();
    }
  });
});

describe('migration 5 (search index filled in bulk)', () => {
  const line = (id: string, text: string) =>
    ({ type: 'message', id, channelId: 'directline', conversation: { id: 'c1' }, from: { id: 'u', role: 'user' }, text }) as never;
  const integrityCheck = (db: SqliteDatabase): void => {
    db.db.prepare("INSERT INTO transcript_fts (transcript_fts) VALUES ('integrity-check')").run();
  };

  it('keeps lines indexed by an older file, finds lines not yet indexed, and deletes either kind cleanly', async () => {
    const temp = makeTempDataDir();
    try {
      const old = SqliteDatabase.open(temp.dir, { migrations: MIGRATIONS.slice(0, 4) });
      await new SqliteTranscriptStore(old.db).logActivity(line('a1', '解绑诚信通之前'));
      old.close();

      const upgraded = SqliteDatabase.open(temp.dir);
      const store = new SqliteTranscriptStore(upgraded.db);
      await store.logActivity(line('a2', '诚信通已经解绑'));
      // Fewer lines than a bulk batch: the search itself indexes them first.
      expect((await store.searchTranscripts('诚信通')).map((hit) => hit.activityId).sort()).toEqual(['a1', 'a2']);
      await store.logActivity(line('a3', '诚信通还没有索引'));
      await store.deleteTranscript('directline', 'c1');
      integrityCheck(upgraded);
      expect(await store.searchTranscripts('诚信通')).toEqual([]);
      upgraded.close();
    } finally {
      temp.remove();
    }
  });

  it('indexes in bulk once enough lines are waiting', async () => {
    const temp = makeTempDataDir();
    try {
      const database = SqliteDatabase.open(temp.dir);
      const store = new SqliteTranscriptStore(database.db);
      const indexed = (): number =>
        (database.db.prepare('SELECT last_seq FROM transcript_fts_progress').get() as { last_seq: number }).last_seq;
      for (let i = 1; i < 256; i++) await store.logActivity(line(`b${i}`, `第${i}条消息`));
      expect(indexed()).toBe(0);
      await store.logActivity(line('b256', '第256条消息'));
      expect(indexed()).toBe(256);
      integrityCheck(database);
      database.close();
    } finally {
      temp.remove();
    }
  });
});

describe('migration 6 (Direct Line history as a rowid table)', () => {
  it('keeps the history of an older file in order and goes on numbering after it', async () => {
    const temp = makeTempDataDir();
    try {
      const old = SqliteDatabase.open(temp.dir, { migrations: MIGRATIONS.slice(0, 5) });
      const before = new SqliteConversationStore(old.db);
      before.createConversation({ id: 'c1', userId: 'u1', locale: 'zh-CN', createdAt: new Date().toISOString() });
      for (const text of ['one', 'two', 'three']) before.appendActivity('c1', { type: 'message', text });
      await before.durable();
      old.close();

      const upgraded = SqliteDatabase.open(temp.dir);
      const after = new SqliteConversationStore(upgraded.db);
      expect(after.activitiesAfter('c1', 1).map((entry) => [entry.watermark, entry.activity.text])).toEqual([
        [2, 'two'],
        [3, 'three'],
      ]);
      expect(after.appendActivity('c1', { type: 'message', text: 'four' })).toBe(4);
      expect(() => after.appendActivity('missing', { type: 'message' })).toThrow(/unknown conversation/);
      upgraded.close();
    } finally {
      temp.remove();
    }
  });
});
