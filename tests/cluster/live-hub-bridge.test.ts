import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClusterBus } from '../../src/cluster/cluster-bus.js';
import { bridgeLiveHub, LIVE_TOPIC } from '../../src/cluster/live-hub-bridge.js';
import { LocalBus } from '../../src/cluster/local-bus.js';
import { PgNotifyBus } from '../../src/cluster/pg-notify-bus.js';
import { LiveHub, type LiveEvent, type LiveOrigin } from '../../src/handoff/live-events.js';
import { createLogger } from '../../src/logger.js';
import { pgTestSchema } from '../storage/pg-test-schema.js';

const logger = createLogger('silent');

const activity = (conversationId: string, text: string): LiveEvent => ({
  type: 'activity',
  conversationId,
  activity: { id: `${conversationId}|1`, type: 'message', text, from: { id: 'seller', role: 'user' }, timestamp: '2026-01-01T00:00:00.000Z' },
});

/** One instance: its hub, bridged to the shared bus, and what a console listener on it received. */
function instance(bus: ClusterBus) {
  const hub = new LiveHub();
  const received: Array<{ event: LiveEvent; origin: LiveOrigin }> = [];
  hub.subscribe((event, origin) => received.push({ event, origin }));
  const stop = bridgeLiveHub({ hub, bus, logger });
  return { hub, received, stop };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('bridgeLiveHub', () => {
  it('delivers each event exactly once to every listener of every instance, in order, with no echo or relay loop', async () => {
    const bus = new LocalBus();
    const [a, b, c] = [instance(bus), instance(bus), instance(bus)];
    const events = Array.from({ length: 20 }, (_, n) => activity('c1', `message ${n}`));
    for (const event of events) a.hub.publish(event);
    // A's own listener had them synchronously, as without a bus.
    expect(a.received.map((r) => r.event)).toEqual(events);
    await settle();
    expect(a.received).toHaveLength(20);
    for (const other of [b, c]) {
      expect(other.received.map((r) => r.event)).toEqual(events);
      expect(other.received.every((r) => r.origin === 'remote')).toBe(true);
    }
    await bus.close();
  });

  it('relays an event too large for one notification with its long text shortened and flagged; the local listener keeps it whole', async () => {
    const bus = new LocalBus();
    const [a, b] = [instance(bus), instance(bus)];
    const long = '我要解绑诚信通账号'.repeat(900); // 8,100 characters, ~24 KB in UTF-8
    a.hub.publish(activity('c-long', long));
    await settle();
    expect(a.received[0]?.event).toEqual(activity('c-long', long));
    const relayed = b.received[0]?.event;
    expect(relayed?.type).toBe('activity');
    if (relayed?.type !== 'activity') return;
    expect(relayed.truncated).toBe(true);
    expect(relayed.conversationId).toBe('c-long');
    expect(relayed.activity.id).toBe('c-long|1');
    expect(relayed.activity.text!.endsWith('…')).toBe(true);
    expect(long.startsWith(relayed.activity.text!.slice(0, -1))).toBe(true);
    expect(relayed.activity.text!.length).toBeGreaterThan(1000);
    await bus.close();
  });

  it('after a failed relay, the next relayed event is preceded by a resync, so other consoles reload what they missed', async () => {
    const inner = new LocalBus();
    let failNext = false;
    const flaky: ClusterBus = {
      publish: (topic, payload) => {
        if (failNext) {
          failNext = false;
          return Promise.reject(new Error('connection refused'));
        }
        return inner.publish(topic, payload);
      },
      subscribe: (topic, handler) => inner.subscribe(topic, handler),
      onReconnect: (listener) => inner.onReconnect(listener),
      close: () => inner.close(),
    };
    const a = instance(flaky);
    const b = instance(inner);
    failNext = true;
    a.hub.publish(activity('c1', 'lost'));
    await settle();
    a.hub.publish(activity('c1', 'after'));
    await settle();
    expect(b.received.map((r) => r.event)).toEqual([{ type: 'resync' }, activity('c1', 'after')]);
    await inner.close();
  });

  it('ignores malformed bus messages and stops relaying when stopped', async () => {
    const bus = new LocalBus();
    const [a, b] = [instance(bus), instance(bus)];
    await bus.publish(LIVE_TOPIC, 'not json');
    await bus.publish(LIVE_TOPIC, JSON.stringify({ from: 'x', event: { type: 'unknown' } }));
    b.stop();
    a.hub.publish(activity('c1', 'hi'));
    await settle();
    expect(b.received).toEqual([]);
    await bus.close();
  });
});

describe('bridgeLiveHub over PgNotifyBus (real PostgreSQL)', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  const openBus = async (schema: string) => {
    const { connectionString } = pgTestSchema();
    const pool = new pg.Pool({ connectionString, max: 2 });
    const applicationName = `bridge-test-${randomBytes(4).toString('hex')}`;
    const bus = await PgNotifyBus.open({ connectionString, schema, pool, logger, applicationName, reconnectFirstMs: 50 });
    cleanup.push(async () => {
      await bus.close();
      await pool.end();
    });
    return { bus, pool, applicationName };
  };

  it('an event on instance A reaches B once; B’s listener gets a resync after B’s bus reconnects', async () => {
    const schema = pgTestSchema().schema;
    const [busA, busB] = [await openBus(schema), await openBus(schema)];
    const [a, b] = [instance(busA.bus), instance(busB.bus)];
    await Promise.all([busA.bus.whenListening(), busB.bus.whenListening()]);
    a.hub.publish(activity('c1', 'hello from A'));
    await expect.poll(() => b.received.map((r) => r.event)).toEqual([activity('c1', 'hello from A')]);
    await settle();
    expect(a.received).toHaveLength(1); // not twice: the echo from PostgreSQL is dropped

    await busA.pool.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [busB.applicationName]);
    await expect.poll(() => b.received.at(-1)?.event, { timeout: 5000 }).toEqual({ type: 'resync' });
    a.hub.publish(activity('c1', 'after the reconnect'));
    await expect.poll(() => b.received.at(-1)?.event).toEqual(activity('c1', 'after the reconnect'));
  });
});
