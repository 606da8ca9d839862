import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_BUS_PAYLOAD_BYTES } from '../../src/cluster/cluster-bus.js';
import { channelName, PgNotifyBus } from '../../src/cluster/pg-notify-bus.js';
import { createLogger } from '../../src/logger.js';
import { pgTestSchema } from '../storage/pg-test-schema.js';

const logger = createLogger('silent');

describe('PgNotifyBus (real PostgreSQL)', () => {
  const pools: pg.Pool[] = [];
  const buses: PgNotifyBus[] = [];
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
    await Promise.all(pools.splice(0).map((pool) => pool.end()));
  });

  /** A bus as one instance opens it: its own pool and its own listening connection. */
  const openBus = async (schema: string, applicationName = `bus-test-${randomBytes(4).toString('hex')}`) => {
    const { connectionString } = pgTestSchema();
    const pool = new pg.Pool({ connectionString, max: 2 });
    pools.push(pool);
    const bus = await PgNotifyBus.open({ connectionString, schema, pool, logger, applicationName, reconnectFirstMs: 50 });
    buses.push(bus);
    return { bus, pool, applicationName };
  };

  const collect = (bus: PgNotifyBus, topic: string): string[] => {
    const got: string[] = [];
    bus.subscribe(topic, (payload) => got.push(payload));
    return got;
  };

  it('two buses on one schema see each other’s messages, each publisher’s in publish order, themselves included', async () => {
    const schema = pgTestSchema().schema;
    const a = await openBus(schema);
    const b = await openBus(schema);
    const atA = collect(a.bus, 'console.live');
    const atB = collect(b.bus, 'console.live');
    await Promise.all([a.bus.whenListening(), b.bus.whenListening()]);
    const fromA = Array.from({ length: 100 }, (_, n) => `a${n}`);
    const fromB = Array.from({ length: 100 }, (_, n) => `b${n}`);
    // Not awaited one by one: the bus itself must keep each publisher's order.
    await Promise.all([...fromA.map((p) => a.bus.publish('console.live', p)), ...fromB.map((p) => b.bus.publish('console.live', p))]);
    await expect.poll(() => [atA.length, atB.length]).toEqual([200, 200]);
    for (const got of [atA, atB]) {
      expect(got.filter((p) => p.startsWith('a'))).toEqual(fromA);
      expect(got.filter((p) => p.startsWith('b'))).toEqual(fromB);
    }
  });

  it('a bus on another schema sees nothing, and another topic sees nothing', async () => {
    const schema = pgTestSchema().schema;
    const a = await openBus(schema);
    const same = await openBus(schema);
    const elsewhere = await openBus(pgTestSchema().schema);
    const otherSchema = collect(elsewhere.bus, 'console.live');
    const otherTopic = collect(same.bus, 'other.topic');
    const sameTopic = collect(same.bus, 'console.live');
    await Promise.all([elsewhere.bus.whenListening(), same.bus.whenListening()]);
    await a.bus.publish('console.live', 'hello');
    await expect.poll(() => sameTopic).toEqual(['hello']);
    // The one that arrives proves delivery happened; give the others a moment more to be sure nothing comes.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(otherSchema).toEqual([]);
    expect(otherTopic).toEqual([]);
  });

  it('rejects an oversized payload (counted in UTF-8 bytes) and accepts one of exactly the limit', async () => {
    const { bus } = await openBus(pgTestSchema().schema);
    const got = collect(bus, 't');
    await bus.whenListening();
    const largest = 'x'.repeat(MAX_BUS_PAYLOAD_BYTES);
    await bus.publish('t', largest);
    await expect(bus.publish('t', '中'.repeat(2634))).rejects.toMatchObject({ code: 'BUS_PAYLOAD_TOO_LARGE' });
    await expect.poll(() => got.length).toBe(1);
    expect(got[0]).toBe(largest);
  });

  it('keeps channel names within PostgreSQL’s 63 bytes for the longest schema', () => {
    const longest = 's'.repeat(63);
    expect(channelName(longest, 'a'.repeat(32)).length).toBeLessThanOrEqual(63);
    expect(channelName(longest, 'x')).not.toBe(channelName(`${'s'.repeat(62)}t`, 'x'));
  });

  it('after pg_terminate_backend of its listener: reconnects, tells onReconnect, and delivers later messages', async () => {
    const schema = pgTestSchema().schema;
    const listener = await openBus(schema);
    const publisher = await openBus(schema);
    const got = collect(listener.bus, 'console.live');
    let reconnects = 0;
    listener.bus.onReconnect(() => (reconnects += 1));
    await listener.bus.whenListening();
    await publisher.bus.publish('console.live', 'before');
    await expect.poll(() => got).toEqual(['before']);

    const { rows } = await publisher.pool.query<{ killed: boolean }>(
      'SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE application_name = $1',
      [listener.applicationName],
    );
    expect(rows).toEqual([{ killed: true }]);
    await expect.poll(() => reconnects, { timeout: 5000 }).toBe(1);
    await publisher.bus.publish('console.live', 'after');
    await expect.poll(() => got).toEqual(['before', 'after']);
  });

  it('close() ends its connection and leaves no socket or timer behind; publishing afterwards is refused', async () => {
    const before = countResources();
    const { bus, pool, applicationName } = await openBus(pgTestSchema().schema);
    collect(bus, 'console.live');
    await bus.whenListening();
    await bus.publish('console.live', 'x');
    await bus.close();
    await pool.end();
    pools.splice(pools.indexOf(pool), 1);
    await expect(bus.publish('console.live', 'x')).rejects.toMatchObject({ code: 'BUS_CLOSED' });
    expect(countResources()).toEqual(before);
    const check = new pg.Client({ connectionString: pgTestSchema().connectionString });
    await check.connect();
    try {
      const { rows } = await check.query('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
      expect(rows).toEqual([]);
    } finally {
      await check.end();
    }
  });
});

function countResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) {
    if (kind === 'TCPSocketWrap' || kind === 'Timeout') counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}
