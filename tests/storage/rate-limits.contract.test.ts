import { afterEach, describe, expect, it } from 'vitest';
import { LoginRateLimiter } from '../../src/console/login-rate-limiter.js';
import { createLogger } from '../../src/logger.js';
import { WidgetRateLimiter } from '../../src/server/widget-rate-limiter.js';
import { PgRateLimits } from '../../src/storage/postgres/pg-rate-limits.js';
import type { RateLimits } from '../../src/storage/rate-limits.js';
import { pgTestFileSchema, type PgTestDatabase } from './pg-test-schema.js';

/** One instance's limits on a clock the test moves. */
interface Harness {
  readonly limits: RateLimits;
  dispose(): Promise<void>;
}
type Factory = (now: () => number) => Promise<Harness>;

const logger = createLogger('silent');
const pgSchema = pgTestFileSchema();

const memory: Factory = async (now) => ({
  limits: {
    tokenBucket: (_name, perMinute) => new WidgetRateLimiter(perMinute, now),
    signIns: (options) => new LoginRateLimiter({ now, ...options }),
  },
  dispose: async () => undefined,
});

const postgres: Factory = async (now) => {
  const test = await pgSchema.open();
  return { limits: new PgRateLimits(test.database.pool, logger, now), dispose: () => test.dispose() };
};

const implementations: ReadonlyArray<readonly [string, Factory]> = [
  ['in-memory', memory],
  ['PostgreSQL', postgres],
];

describe.each(implementations)('rate limits contract: %s', (_name, create) => {
  let harness: Harness;
  let now = 0;
  const clock = () => now;
  const open = async (): Promise<RateLimits> => {
    now = 1_700_000_000_000;
    harness = await create(clock);
    return harness.limits;
  };
  afterEach(() => harness.dispose());

  describe('token bucket', () => {
    it('allows a burst of perMinute, then says how long to wait, per key', async () => {
      const bucket = (await open()).tokenBucket('widget-token', 5);
      const waits: number[] = [];
      for (let i = 0; i < 7; i += 1) waits.push(await bucket.take('203.0.113.1'));
      expect(waits).toEqual([0, 0, 0, 0, 0, 12_000, 12_000]);
      expect(await bucket.take('203.0.113.2')).toBe(0);
      now += 3_000;
      expect(await bucket.take('203.0.113.1')).toBe(9_000);
    });

    it('refills at perMinute per minute, up to the burst', async () => {
      const bucket = (await open()).tokenBucket('widget-token', 5);
      for (let i = 0; i < 5; i += 1) await bucket.take('k');
      now += 12_000;
      expect(await bucket.take('k')).toBe(0);
      expect(await bucket.take('k')).toBe(12_000);
      now += 10 * 60_000;
      const waits: number[] = [];
      for (let i = 0; i < 6; i += 1) waits.push(await bucket.take('k'));
      expect(waits).toEqual([0, 0, 0, 0, 0, 12_000]);
    });

    it('lets exactly perMinute of 20 parallel takes through', async () => {
      const bucket = (await open()).tokenBucket('widget-token', 5);
      const waits = await Promise.all(Array.from({ length: 20 }, () => bucket.take('k')));
      expect(waits.filter((wait) => wait === 0)).toHaveLength(5);
      expect(waits.filter((wait) => wait > 0)).toHaveLength(15);
    });
  });

  describe('sign-in limiter', () => {
    it('blocks an account from an address after 5 failures, for the rest of the window', async () => {
      const signIns = (await open()).signIns();
      const start = now;
      for (let i = 0; i < 5; i += 1) {
        expect(await signIns.acquire('198.51.100.1', 'bob')).toBe(0);
        now += 1_000;
      }
      // The oldest of the 5 failures leaves the window 15 minutes after it happened.
      expect(await signIns.acquire('198.51.100.1', 'bob')).toBe((start + 900_000 - now) / 1000);
      expect(await signIns.acquire('198.51.100.2', 'bob')).toBe(0); // a guesser elsewhere cannot lock bob out
      now = start + 900_001;
      expect(await signIns.acquire('198.51.100.1', 'bob')).toBe(0);
    });

    it('spelling variants of one account share its allowance', async () => {
      const signIns = (await open()).signIns();
      for (const name of ['admin', ' admin', 'ADMIN', 'Admin ', '\tadmin']) expect(await signIns.acquire('198.51.100.1', name)).toBe(0);
      expect(await signIns.acquire('198.51.100.1', 'aDmin')).toBe(900);
    });

    it('blocks an address trying many usernames', async () => {
      const signIns = (await open()).signIns();
      for (let i = 0; i < 20; i += 1) expect(await signIns.acquire('198.51.100.1', `user${i}`)).toBe(0);
      expect(await signIns.acquire('198.51.100.1', 'fresh')).toBe(900);
      expect(await signIns.acquire('198.51.100.9', 'fresh')).toBe(0);
    });

    it('a success clears the account and takes back the address count of that attempt', async () => {
      const signIns = (await open()).signIns({ maxFailuresPerAccount: 3, maxFailuresPerAddress: 4 });
      expect(await signIns.acquire('198.51.100.1', 'bob')).toBe(0);
      expect(await signIns.acquire('198.51.100.1', 'bob')).toBe(0);
      expect(await signIns.acquire('198.51.100.1', 'bob')).toBe(0); // this one succeeds:
      await signIns.recordSuccess('198.51.100.1', ' Bob');
      // bob's failures are gone (3 more allowed); the address still counts 2, so only 2 more for anyone.
      expect(await signIns.acquire('198.51.100.1', 'bob')).toBe(0);
      expect(await signIns.acquire('198.51.100.1', 'eve')).toBe(0);
      expect(await signIns.acquire('198.51.100.1', 'bob')).toBe(900);
    });

    it('counts parallel attempts before any password check: of 60 at once, 5 pass', async () => {
      const signIns = (await open()).signIns();
      const waits = await Promise.all(Array.from({ length: 60 }, () => signIns.acquire('198.51.100.1', 'admin')));
      expect(waits.filter((wait) => wait === 0)).toHaveLength(5);
      expect(waits.filter((wait) => wait === 900)).toHaveLength(55);
    });
  });
});

describe('rate limits in PostgreSQL are shared by instances', () => {
  let test: PgTestDatabase;
  afterEach(() => test.dispose());
  let now = 1_700_000_000_000;
  const clock = () => now;

  /** Three instances: one pool each, on one schema. */
  const instances = async (): Promise<PgRateLimits[]> => {
    test = await pgSchema.open();
    const others = [await test.another(), await test.another()];
    return [test.database, ...others].map((database) => new PgRateLimits(database.pool, logger, clock));
  };

  it('60 parallel sign-ins spread over 3 instances: 5 are let through to the password check', async () => {
    const limiters = (await instances()).map((limits) => limits.signIns());
    const waits = await Promise.all(Array.from({ length: 60 }, (_, i) => limiters[i % 3]!.acquire('198.51.100.7', 'admin')));
    expect(waits.filter((wait) => wait === 0)).toHaveLength(5);
    expect(waits.filter((wait) => wait > 0)).toHaveLength(55);
  });

  it('30 parallel token takes spread over 3 instances: the burst of 5 is allowed once, not 3 times', async () => {
    const buckets = (await instances()).map((limits) => limits.tokenBucket('widget-token', 5));
    const waits = await Promise.all(Array.from({ length: 30 }, (_, i) => buckets[i % 3]!.take('203.0.113.7')));
    expect(waits.filter((wait) => wait === 0)).toHaveLength(5);
  });

  it('limiters of different names keep apart', async () => {
    const [limits] = await instances();
    const a = limits!.tokenBucket('a', 1);
    const b = limits!.tokenBucket('b', 1);
    expect([await a.take('k'), await a.take('k'), await b.take('k')]).toEqual([0, 60_000, 0]);
  });

  it('the sweep deletes rows that limit nobody any more, and keeps the others', async () => {
    const [limits] = await instances();
    const count = async (table: string) => Number((await test.database.pool.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
    await limits!.tokenBucket('widget-token', 1).take('old');
    await limits!.signIns().acquire('198.51.100.1', 'old');
    now += 900_001;
    await limits!.tokenBucket('widget-token', 1).take('new');
    await limits!.signIns().acquire('198.51.100.2', 'new');
    await limits!.sweep();
    expect(await count('rate_limit_buckets')).toBe(1);
    expect(await count('sign_in_failures')).toBe(1);
    // What is left still limits: 'new' took its only token of the minute.
    expect(await limits!.tokenBucket('widget-token', 1).take('new')).toBe(60_000);
  });
});
