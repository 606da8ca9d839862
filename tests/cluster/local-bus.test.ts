import { describe, expect, it } from 'vitest';
import { LocalBus } from '../../src/cluster/local-bus.js';
import { MAX_BUS_PAYLOAD_BYTES } from '../../src/cluster/cluster-bus.js';

describe('LocalBus', () => {
  it('delivers after publish returns, in publish order, to every subscriber of the topic only', async () => {
    const bus = new LocalBus();
    const a: string[] = [];
    const b: string[] = [];
    const other: string[] = [];
    bus.subscribe('console.live', (p) => a.push(p));
    bus.subscribe('console.live', (p) => b.push(p));
    bus.subscribe('other', (p) => other.push(p));
    const sent = Array.from({ length: 50 }, (_, n) => `m${n}`);
    const published = sent.map((p) => bus.publish('console.live', p));
    expect(a).toEqual([]); // asynchronous, like a real bus
    await Promise.all(published);
    await new Promise((resolve) => setImmediate(resolve));
    expect(a).toEqual(sent);
    expect(b).toEqual(sent);
    expect(other).toEqual([]);
    await bus.close();
  });

  it('keeps delivering to the others when a handler throws, and stops after unsubscribe', async () => {
    const bus = new LocalBus();
    const got: string[] = [];
    bus.subscribe('t', () => {
      throw new Error('broken handler');
    });
    const unsubscribe = bus.subscribe('t', (p) => got.push(p));
    await bus.publish('t', 'one');
    await new Promise((resolve) => setImmediate(resolve));
    unsubscribe();
    await bus.publish('t', 'two');
    await new Promise((resolve) => setImmediate(resolve));
    expect(got).toEqual(['one']);
    await bus.close();
  });

  it('rejects an oversized payload, a bad topic and publishing after close, with stable codes', async () => {
    const bus = new LocalBus();
    await expect(bus.publish('t', 'x'.repeat(MAX_BUS_PAYLOAD_BYTES))).resolves.toBeUndefined();
    // 2,634 three-byte characters: under the limit in characters, over it in bytes.
    await expect(bus.publish('t', '中'.repeat(2634))).rejects.toMatchObject({ code: 'BUS_PAYLOAD_TOO_LARGE' });
    await expect(bus.publish('Bad Topic', 'x')).rejects.toMatchObject({ code: 'BUS_BAD_TOPIC' });
    await bus.close();
    await expect(bus.publish('t', 'x')).rejects.toMatchObject({ code: 'BUS_CLOSED' });
  });
});
