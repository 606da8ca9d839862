import type { Activity } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import type { StoredActivity } from '../../src/channels/directline/conversation-store.js';
import { StreamHub, type StreamSink } from '../../src/channels/directline/stream-hub.js';
import { createLogger } from '../../src/logger.js';

/** A conversation's durable history, as the store would serve it; reads can be held to model a slow database. */
class History {
  readonly entries: StoredActivity[] = [];
  reads = 0;
  hold: Promise<void> | undefined;
  add(role: 'user' | 'bot', text: string): StoredActivity {
    const watermark = this.entries.length + 1;
    const entry = { watermark, activity: { id: `c|${watermark}`, type: 'message', text, from: { id: role, role } } as Partial<Activity> };
    this.entries.push(entry);
    return entry;
  }
  read = async (_conversationId: string, after: number, limit: number): Promise<StoredActivity[]> => {
    this.reads += 1;
    await this.hold;
    return this.entries.filter((e) => e.watermark > after).slice(0, limit);
  };
}

class Sink implements StreamSink {
  readonly frames: { activities: Partial<Activity>[]; watermark: string }[] = [];
  send(frame: string): void {
    this.frames.push(JSON.parse(frame));
  }
  close(): void {}
  get texts(): string[] {
    return this.frames.flatMap((f) => f.activities.map((a) => (a.type === 'typing' ? 'typing' : a.text!)));
  }
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));
const typing = (activity: Partial<Activity>): Partial<Activity> | undefined =>
  activity.from?.role === 'user' ? { type: 'typing', id: `${activity.id}|typing` } : undefined;

function hub(history: History): StreamHub {
  return new StreamHub(history.read, createLogger('silent'), typing);
}

describe('StreamHub', () => {
  it('replays the history after the watermark, then sends local batches at once, with typing after a seller message', async () => {
    const history = new History();
    history.add('bot', 'welcome');
    history.add('user', 'q1');
    const streams = hub(history);
    const sink = new Sink();
    streams.attach('c', 1, sink);
    await tick();
    expect(sink.texts).toEqual(['q1']);
    streams.delivered('c', [history.add('user', 'q2')]);
    expect(sink.texts).toEqual(['q1', 'q2', 'typing']);
    streams.delivered('c', [history.add('bot', 'a2'), history.add('bot', 'a2b')]);
    expect(sink.frames.at(-1)?.watermark).toBe('5');
    expect(sink.texts.slice(-2)).toEqual(['a2', 'a2b']);
    expect(sink.frames).toHaveLength(3);
  });

  it('reads what another instance stored when announced, once, even when announcements repeat or come out of order', async () => {
    const history = new History();
    const streams = hub(history);
    const sink = new Sink();
    streams.attach('c', 0, sink);
    await tick();
    history.add('user', 'q1');
    history.add('bot', 'a1');
    streams.advanced('c', 2);
    streams.advanced('c', 1);
    streams.advanced('c', 2);
    await tick();
    expect(sink.texts).toEqual(['q1', 'a1']);
    // A local batch that skips an activity stored elsewhere and not yet announced: the gap is read first.
    history.add('user', 'q2 (elsewhere)');
    streams.delivered('c', [history.add('bot', 'a2 (here)')]);
    await tick();
    expect(sink.texts).toEqual(['q1', 'a1', 'q2 (elsewhere)', 'a2 (here)']);
    expect(sink.frames.map((f) => f.watermark)).toEqual(['2', '4']);
  });

  it('keeps the order while a replay is still reading: live batches wait behind it, nothing is sent twice', async () => {
    const history = new History();
    history.add('bot', 'welcome');
    let release!: () => void;
    history.hold = new Promise((resolve) => (release = resolve));
    const streams = hub(history);
    const sink = new Sink();
    streams.attach('c', 0, sink);
    streams.delivered('c', [history.add('user', 'q1')]);
    expect(sink.frames).toEqual([]);
    release();
    history.hold = undefined;
    await tick();
    // The replay read q1 too (it was durable by then); the live batch queued behind it adds nothing.
    expect(sink.texts).toEqual(['welcome', 'q1']);
    expect(sink.frames).toHaveLength(1);
  });

  it('re-reads every stream after a resync and forgets a conversation once its last stream detaches', async () => {
    const history = new History();
    const streams = hub(history);
    const sink = new Sink();
    const detach = streams.attach('c', 0, sink);
    await tick();
    history.add('bot', 'missed while the bus was down');
    streams.resync();
    await tick();
    expect(sink.texts).toEqual(['missed while the bus was down']);
    expect(streams.openStreams).toBe(1);
    detach();
    expect(streams.openStreams).toBe(0);
    expect([...streams.conversationIds()]).toEqual([]);
    const reads = history.reads;
    streams.advanced('c', 9);
    await tick();
    expect(history.reads).toBe(reads);
  });
});
