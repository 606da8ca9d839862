import { describe, expect, it } from 'vitest';
import type { CaseSummary } from '../../src/handoff/case-summary.js';
import type { HandoffTransitionRecord } from '../../src/handoff/handoff-observer.js';
import { HandoffService } from '../../src/handoff/handoff-service.js';
import { createInMemoryHandoffRepositories } from '../../src/handoff/in-memory.repositories.js';
import { LiveHub } from '../../src/handoff/live-events.js';
import { RecordingSellerChannel } from './fake-seller-channel.js';

const summary: CaseSummary = { reason: 'seller_request', locale: 'zh-CN', intents: [], answers: {} };
const alice = { username: 'alice', displayName: 'Alice' };

/** A service on a fake clock whose transitions are recorded as its metrics would see them. */
function observedService(open = true) {
  let clock = new Date('2026-11-26T03:00:00Z');
  const changes: HandoffTransitionRecord[] = [];
  const service = new HandoffService({
    repositories: createInMemoryHandoffRepositories(),
    channel: new RecordingSellerChannel(),
    live: new LiveHub(),
    officeHours: { isOpen: () => open },
    maxWaitSeconds: 300,
    onError: (error) => {
      throw error;
    },
    now: () => clock,
    onTransition: (change) => changes.push(change),
  });
  const seller = (id: string, text?: string) =>
    service.observe({ conversationId: id, channelId: 'directline', locale: 'zh-CN', reference: null, ...(text ? { sellerText: text } : {}) });
  const advance = (seconds: number) => {
    clock = new Date(clock.getTime() + seconds * 1000);
  };
  const edges = () => changes.map(({ from, event, to, waitedSeconds }) => [from, event, to, waitedSeconds]);
  return { service, seller, advance, edges };
}

describe('HandoffService onTransition (what the metrics count)', () => {
  it('reports request, accept with the queue wait, release, close and reopen, in order', async () => {
    const { service, seller, advance, edges } = observedService();
    await seller('c1');
    await service.request('c1', summary);
    advance(42);
    await service.takeOver('c1', alice);
    await service.release('c1', alice);
    await service.close('c1', alice);
    await seller('c1', 'hello again');
    expect(edges()).toEqual([
      ['bot', 'request', 'queued', undefined],
      ['queued', 'accept', 'agent', 42],
      ['agent', 'release', 'bot', undefined],
      ['bot', 'close', 'closed', undefined],
      ['closed', 'reopen', 'bot', undefined],
    ]);
  });

  it('reports a cancel and a timed-out wait with how long the seller waited', async () => {
    const { service, seller, advance, edges } = observedService();
    await seller('c1');
    await seller('c2');
    await service.request('c1', summary);
    await service.request('c2', summary);
    advance(10);
    await service.cancel('c1');
    advance(300);
    expect(await service.sweep()).toBe(1);
    expect(edges().slice(2)).toEqual([
      ['queued', 'cancel', 'bot', 10],
      ['queued', 'fail', 'bot', 310],
    ]);
  });

  it('reports a request outside office hours as request then fail, without a queue wait', async () => {
    const { service, seller, edges } = observedService(false);
    await seller('c1');
    expect(await service.request('c1', summary)).toEqual({ outcome: 'failed', reason: 'out_of_hours' });
    expect(edges()).toEqual([
      ['bot', 'request', 'queued', undefined],
      ['queued', 'fail', 'bot', undefined],
    ]);
  });
});
