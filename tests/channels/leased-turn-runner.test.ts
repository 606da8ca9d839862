import type { Activity } from 'botbuilder';
import { afterEach, describe, expect, it } from 'vitest';
import type { NewActivity } from '../../src/channels/directline/async-conversation-store.js';
import { LeasedTurnRunner } from '../../src/channels/directline/leased-turn-runner.js';
import { createLogger } from '../../src/logger.js';
import { PgConversationStore } from '../../src/storage/postgres/pg-conversation.store.js';
import { PgTurnLedger } from '../../src/storage/postgres/pg-turn-ledger.js';
import { pgTestFileSchema, type PgTestDatabase } from '../storage/pg-test-schema.js';

/**
 * Turns of one conversation across instances (each instance: its own pool, ledger and runner on one schema):
 * one at a time, in history order, each once; a dead instance's lease expires and another takes over.
 */

const logger = createLogger('silent');
const pgSchema = pgTestFileSchema();
let test: PgTestDatabase | undefined;
const runners: LeasedTurnRunner[] = [];
afterEach(async () => {
  for (const runner of runners.splice(0)) await runner.close();
  await test?.dispose();
  test = undefined;
});

const seller = (text: string): NewActivity => ({ type: 'message', text, from: { id: 'dl_u', name: '', role: 'user' } });

interface Instance {
  readonly store: PgConversationStore;
  readonly ledger: PgTurnLedger;
  readonly runner: LeasedTurnRunner;
}

/** Records which instance ran which turn, and whether two turns of the conversation ever overlapped. */
class TurnLog {
  readonly ran: string[] = [];
  running = 0;
  overlapped = false;
  turn(instance: string, ms = 5) {
    return async (activity: Partial<Activity>): Promise<void> => {
      this.running += 1;
      if (this.running > 1) this.overlapped = true;
      await new Promise((resolve) => setTimeout(resolve, ms));
      this.ran.push(`${activity.text}@${instance}`);
      this.running -= 1;
    };
  }
}

async function instance(name: string, log: TurnLog, leaseMs = 5_000, sweepMs = 200): Promise<Instance> {
  test ??= await pgSchema.open();
  const pool = name === 'a' ? test.database.pool : (await test.another()).pool;
  const store = new PgConversationStore(pool);
  const ledger = new PgTurnLedger(pool);
  const runner = new LeasedTurnRunner({ ledger, store, runTurn: log.turn(name), logger, leaseMs, sweepMs, owner: name });
  runners.push(runner);
  return { store, ledger, runner };
}

const until = async (test: () => boolean, what: string, ms = 15_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('LeasedTurnRunner on PostgreSQL', () => {
  it('runs the turns of messages stored on two instances one at a time, in history order, each once', async () => {
    const log = new TurnLog();
    const [a, b] = [await instance('a', log), await instance('b', log)];
    await a.store.createConversation({ id: 'c1', userId: 'dl_u', locale: 'zh-CN', createdAt: new Date().toISOString() });
    const texts = Array.from({ length: 12 }, (_, n) => `m${n}`);
    // Each instance stores and announces its own messages, as the channel does after acknowledging them.
    await Promise.all(
      texts.map(async (text, n) => {
        const target = n % 2 === 0 ? a : b;
        const [stored] = await target.store.append('c1', [seller(text)], Date.now(), true);
        target.runner.sellerActivityStored('c1', stored!);
      }),
    );
    await until(() => log.ran.length === texts.length, 'every turn');
    const order = (await a.store.activitiesAfter('c1', 0)).map((entry) => entry.activity.text);
    expect(log.ran.map((entry) => entry.split('@')[0])).toEqual(order);
    expect(log.overlapped).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(log.ran).toHaveLength(texts.length);
  });

  it('a server event waits for the lease, then runs; seller messages stored meanwhile still get their turn', async () => {
    const log = new TurnLog();
    const [a, b] = [await instance('a', log), await instance('b', log)];
    await a.store.createConversation({ id: 'c1', userId: 'dl_u', locale: 'zh-CN', createdAt: new Date().toISOString() });
    const [stored] = await a.store.append('c1', [seller('first')], Date.now(), true);
    a.runner.sellerActivityStored('c1', stored!);
    await b.runner.run('c1', { type: 'event', name: 'handoff.status', text: 'event' });
    await until(() => log.ran.length === 2, 'both turns');
    expect(log.overlapped).toBe(false);
    expect(log.ran.sort()).toEqual(['event@b', 'first@a']);
  });

  it('answers the messages of an instance that died holding the lease once it expires, on a live instance', async () => {
    const log = new TurnLog();
    const live = await instance('b', log, 600, 100);
    await live.store.createConversation({ id: 'c1', userId: 'dl_u', locale: 'zh-CN', createdAt: new Date().toISOString() });
    // The dead instance took the lease and stored two messages, then was killed: nothing runs them but the sweep.
    expect(await live.ledger.claim('c1', 'dead-instance', 600)).toEqual({ turnWatermark: 0, sellerWatermark: 0 });
    await live.store.append('c1', [seller('q1'), seller('q2')], Date.now(), true);
    const [q3] = await live.store.append('c1', [seller('q3')], Date.now(), true);
    live.runner.sellerActivityStored('c1', q3!);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(log.ran).toEqual([]);
    await until(() => log.ran.length === 3, 'the turns after the lease expired');
    expect(log.ran).toEqual(['q1@b', 'q2@b', 'q3@b']);
    // The ledger agrees: nothing waits, nobody holds the conversation.
    expect(await live.ledger.stranded(10)).toEqual([]);
    expect(await live.ledger.claim('c1', 'someone', 600)).toEqual({ turnWatermark: 3, sellerWatermark: 3 });
  });

  it('limits the turns waiting in a conversation across instances, atomically; a turn run makes room, replies are never refused', async () => {
    const log = new TurnLog();
    // No sweep during the test: only the advances below run turns.
    const [a, b] = [await instance('a', log, 5_000, 600_000), await instance('b', log, 5_000, 600_000)];
    await a.store.createConversation({ id: 'c1', userId: 'dl_u', locale: 'zh-CN', createdAt: new Date().toISOString() });
    // 10 seller messages at once, spread over two instances, against a limit of 4: exactly 4 are stored.
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, n) => (n % 2 === 0 ? a : b).store.append('c1', [seller(`m${n}`)], Date.now(), true, 4)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(4);
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as { code?: string }] : []));
    expect(refused.map((error) => error.code)).toEqual(Array(6).fill('STORAGE_BACKLOG_FULL'));
    // The bot's replies are not seller turns: never refused.
    await a.store.append('c1', [{ type: 'message', text: 'reply', from: { id: 'bot', name: 'bot', role: 'bot' } }], Date.now(), false, 4);
    await expect(b.store.append('c1', [seller('one more')], Date.now(), true, 4)).rejects.toMatchObject({ code: 'STORAGE_BACKLOG_FULL' });
    // One turn runs (advanced by the lease holder): room for exactly one more.
    const claim = await a.ledger.claim('c1', 'a', 5_000);
    const firstSeller = (await a.store.activitiesAfter('c1', claim!.turnWatermark)).find((e) => e.activity.from?.role === 'user')!;
    expect(await a.ledger.advance('c1', 'a', firstSeller.watermark, 5_000)).toBe(true);
    // Advancing to the same watermark again (a turn run twice after a lost lease) frees nothing more.
    expect(await a.ledger.advance('c1', 'a', firstSeller.watermark, 5_000)).toBe(true);
    await b.store.append('c1', [seller('room for one')], Date.now(), true, 4);
    await expect(a.store.append('c1', [seller('full again')], Date.now(), true, 4)).rejects.toMatchObject({ code: 'STORAGE_BACKLOG_FULL' });
    await expect(a.store.append('missing', [seller('x')], Date.now(), true, 4)).rejects.toMatchObject({ code: 'STORAGE_NOT_FOUND' });
  });
});
