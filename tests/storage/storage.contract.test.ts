import { ConversationState, MemoryStorage, TestAdapter, type Storage } from 'botbuilder';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteDatabase } from '../../src/storage/sqlite-database.js';
import { SqliteStorage } from '../../src/storage/sqlite.storage.js';
import { PgStorage } from '../../src/storage/postgres/pg.storage.js';
import { pgTestFileSchema } from './pg-test-schema.js';
import { makeTempDataDir } from './temp-data-dir.js';

interface Harness {
  readonly storage: Storage;
  /** Simulates a process restart; returns a storage over the same data (durable implementations only). */
  restart?(): Storage | Promise<Storage>;
  dispose(): void | Promise<void>;
}

const pgSchema = pgTestFileSchema();

async function pgHarness(): Promise<Harness> {
  const test = await pgSchema.open();
  return {
    storage: new PgStorage(test.database.pool),
    restart: async () => new PgStorage((await test.reopen()).pool),
    dispose: () => test.dispose(),
  };
}

const implementations: ReadonlyArray<readonly [string, () => Harness | Promise<Harness>]> = [
  ['botbuilder MemoryStorage (reference)', () => ({ storage: new MemoryStorage(), dispose: () => undefined })],
  [
    'SqliteStorage',
    () => {
      const temp = makeTempDataDir();
      let database = SqliteDatabase.open(temp.dir);
      return {
        storage: new SqliteStorage(database.db),
        restart: () => {
          database.close();
          database = SqliteDatabase.open(temp.dir);
          return new SqliteStorage(database.db);
        },
        dispose: () => {
          database.close();
          temp.remove();
        },
      };
    },
  ],
  ['PgStorage', pgHarness],
];

describe.each(implementations)('Storage contract: %s', (_name, create) => {
  let harness: Harness;
  afterEach(() => harness.dispose());
  const open = async (): Promise<Storage> => {
    harness = await create();
    return harness.storage;
  };

  it('reads nothing for unknown keys', async () => {
    const storage = await open();
    expect(await storage.read(['nope', 'neither'])).toEqual({});
  });

  it('round-trips nested JSON values (Chinese text included) and adds a string eTag', async () => {
    const storage = await open();
    const value = { locale: 'zh-CN', answers: { store: '速卖通店铺', steps: [1, 2, 3] }, flag: true, none: null };
    await storage.write({ 'conv/1': value });
    const read = await storage.read(['conv/1', 'conv/2']);
    expect(Object.keys(read)).toEqual(['conv/1']);
    expect(read['conv/1']).toMatchObject(value);
    expect(typeof read['conv/1'].eTag).toBe('string');
    expect(read['conv/1'].eTag.length).toBeGreaterThan(0);
  });

  it('returns copies: mutating a read item does not change the stored one', async () => {
    const storage = await open();
    await storage.write({ k: { list: ['a'] } });
    const first = await storage.read(['k']);
    first.k.list.push('b');
    expect((await storage.read(['k'])).k.list).toEqual(['a']);
  });

  it('writes unconditionally when the eTag is missing or "*"', async () => {
    const storage = await open();
    await storage.write({ k: { n: 1 } });
    await storage.write({ k: { n: 2 } });
    await storage.write({ k: { n: 3, eTag: '*' } });
    expect((await storage.read(['k'])).k.n).toBe(3);
  });

  it('accepts the current eTag and issues a new one', async () => {
    const storage = await open();
    await storage.write({ k: { n: 1 } });
    const { k } = await storage.read(['k']);
    await storage.write({ k: { ...k, n: 2 } });
    const after = (await storage.read(['k'])).k;
    expect(after.n).toBe(2);
    expect(after.eTag).not.toBe(k.eTag);
  });

  it('rejects a stale eTag and keeps the stored value (optimistic concurrency)', async () => {
    const storage = await open();
    await storage.write({ k: { n: 1 } });
    const turnA = (await storage.read(['k'])).k;
    const turnB = (await storage.read(['k'])).k;
    await storage.write({ k: { ...turnA, n: 2 } });
    await expect(storage.write({ k: { ...turnB, n: 3 } })).rejects.toThrow(/eTag conflict/);
    expect((await storage.read(['k'])).k.n).toBe(2);
  });

  it('writes a new key even when it carries an eTag from elsewhere', async () => {
    const storage = await open();
    await storage.write({ fresh: { n: 1, eTag: 'some-old-etag' } });
    expect((await storage.read(['fresh'])).fresh.n).toBe(1);
  });

  it('deletes keys and ignores unknown ones', async () => {
    const storage = await open();
    await storage.write({ a: { n: 1 }, b: { n: 2 } });
    await storage.delete(['a', 'unknown']);
    const read = await storage.read(['a', 'b']);
    expect(read.a).toBeUndefined();
    expect(read.b.n).toBe(2);
  });

  it('backs botbuilder ConversationState across turns', async () => {
    const storage = await open();
    const state = new ConversationState(storage);
    const counter = state.createProperty<number>('turns');
    const adapter = new TestAdapter(async (context) => {
      const turns = (await counter.get(context, 0)) + 1;
      await counter.set(context, turns);
      await state.saveChanges(context);
      await context.sendActivity(`turn ${turns}`);
    });
    await adapter.send('hi').assertReply('turn 1').send('again').assertReply('turn 2').startTest();
  });
});

describe.each([implementations[1]!, implementations[2]!])('durability: %s', (_name, create) => {
  let harness: Harness;
  afterEach(() => harness.dispose());

  it('keeps items and eTags across a close and reopen of the database', async () => {
    harness = await create();
    await harness.storage.write({ 'user/1': { name: '王' } });
    const before = (await harness.storage.read(['user/1']))['user/1'];
    const reopened = await harness.restart!();
    const after = (await reopened.read(['user/1']))['user/1'];
    expect(after).toEqual(before);
    await expect(reopened.write({ 'user/1': { name: 'x', eTag: 'stale' } })).rejects.toThrow(/eTag conflict/);
  });

  it('writes a batch atomically: a conflict on one key writes none of them', async () => {
    harness = await create();
    const storage = harness.storage;
    await storage.write({ a: { n: 1 }, b: { n: 1 } });
    await expect(storage.write({ a: { n: 2 }, b: { n: 2, eTag: 'stale' } })).rejects.toMatchObject({
      code: 'STORAGE_ETAG_CONFLICT',
    });
    const read = await storage.read(['a', 'b']);
    expect([read.a.n, read.b.n]).toEqual([1, 1]);
  });
});
