import { beforeEach, describe, expect, it } from 'vitest';
import { HandoffError } from '../../src/handoff/handoff-errors.js';
import { HandoffService } from '../../src/handoff/handoff-service.js';
import { createInMemoryHandoffRepositories } from '../../src/handoff/in-memory.repositories.js';
import { LiveHub, type LiveEvent } from '../../src/handoff/live-events.js';
import type { CaseSummary } from '../../src/handoff/case-summary.js';
import type { HandoffRepositories } from '../../src/handoff/ports.js';
import { RecordingSellerChannel } from './fake-seller-channel.js';

const summary: CaseSummary = {
  reason: 'seller_request',
  locale: 'zh-CN',
  intents: [{ text: '人工', intent: 'handoff.human', score: 0.93 }],
  scenario: 'scenario.close_store',
  step: 'askInventory',
  answers: { hasInventory: 'yes' },
};
const alice = { username: 'alice', displayName: 'Alice' };
const bob = { username: 'bob', displayName: 'Bob' };

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toBeInstanceOf(HandoffError);
  await expect(promise).rejects.toMatchObject({ code });
}

describe('HandoffService', () => {
  let clock: Date;
  let open: boolean;
  let repositories: HandoffRepositories;
  let channel: RecordingSellerChannel;
  let events: LiveEvent[];
  let service: HandoffService;

  const advance = (seconds: number): void => {
    clock = new Date(clock.getTime() + seconds * 1000);
  };
  const seller = (id: string, text?: string) =>
    service.observe({ conversationId: id, channelId: 'directline', locale: 'zh-CN', reference: null, ...(text !== undefined ? { sellerText: text } : {}) });

  beforeEach(() => {
    clock = new Date('2026-11-26T03:00:00Z');
    open = true;
    repositories = createInMemoryHandoffRepositories();
    channel = new RecordingSellerChannel();
    events = [];
    const live = new LiveHub();
    live.subscribe((event) => events.push(event));
    service = new HandoffService({
      repositories,
      channel,
      live,
      officeHours: { isOpen: () => open },
      maxWaitSeconds: 300,
      onError: (error) => {
        throw error;
      },
      now: () => clock,
    });
  });

  it('indexes a new conversation in state bot and keeps the last seller text', async () => {
    await seller('c1', 'hello');
    const record = await repositories.conversations.get('c1');
    expect(record).toMatchObject({ handoffState: 'bot', lastSellerText: 'hello', channelId: 'directline', waitingSince: null });
    expect(events.at(-1)).toMatchObject({ type: 'conversation', conversation: { conversationId: 'c1', queuePosition: null } });
  });

  it('queues requests in arrival order with positions and estimates', async () => {
    await seller('c1', 'a');
    await seller('c2', 'b');
    expect(await service.request('c1', summary)).toEqual({ outcome: 'queued', position: 1, estimateMinutes: 2 });
    advance(10);
    expect(await service.request('c2', summary)).toEqual({ outcome: 'queued', position: 2, estimateMinutes: 4 });
    // Asking again while queued answers the same place instead of failing.
    expect(await service.request('c2', summary)).toMatchObject({ outcome: 'queued', position: 2 });
    const record = await repositories.conversations.get('c1');
    expect(record).toMatchObject({ handoffState: 'queued', caseSummary: summary, waitingSince: '2026-11-26T03:00:00.000Z' });
  });

  it('never estimates a longer wait than HANDOFF_MAX_WAIT_SECONDS', async () => {
    for (const id of ['c1', 'c2', 'c3', 'c4']) {
      await seller(id);
      await service.request(id, summary);
    }
    expect(await service.queuePlace('c4')).toEqual({ position: 4, estimateMinutes: 5 });
  });

  it('moves the queue up when someone ahead is taken over, and learns the estimate from real waits', async () => {
    await seller('c1');
    await seller('c2');
    await service.request('c1', summary);
    await service.request('c2', summary);
    advance(60);
    await service.takeOver('c1', alice);
    expect(await service.queuePlace('c2')).toEqual({ position: 1, estimateMinutes: 1 });
    expect(events).toContainEqual(expect.objectContaining({ type: 'conversation', conversation: expect.objectContaining({ conversationId: 'c2', queuePosition: 1 }) }));
  });

  it('take-over tells the bot who joined; a second take-over is refused', async () => {
    await seller('c1');
    await service.request('c1', summary);
    const taken = await service.takeOver('c1', alice);
    expect(taken).toMatchObject({ handoffState: 'agent', assignedAgent: 'alice', waitingSince: null });
    expect(channel.statuses).toEqual([{ conversationId: 'c1', status: { state: 'accepted', agentName: 'Alice' } }]);
    await expectCode(service.takeOver('c1', bob), 'HANDOFF_ALREADY_TAKEN');
  });

  it('only the holder may reply, hand back or close', async () => {
    await seller('c1');
    await service.request('c1', summary);
    await service.takeOver('c1', alice);
    await expectCode(service.reply('c1', bob, 'hi'), 'HANDOFF_NOT_HOLDER');
    await expectCode(service.release('c1', bob), 'HANDOFF_NOT_HOLDER');
    await expectCode(service.close('c1', bob), 'HANDOFF_NOT_HOLDER');
    const entry = await service.reply('c1', alice, '您好，我是 Alice');
    expect(channel.messages).toEqual([{ conversationId: 'c1', agent: alice, text: '您好，我是 Alice' }]);
    expect(events).toContainEqual({ type: 'activity', conversationId: 'c1', activity: entry });
  });

  it('hand-back returns the conversation to the bot and tells it the handoff completed', async () => {
    await seller('c1');
    await service.request('c1', summary);
    await service.takeOver('c1', alice);
    const released = await service.release('c1', alice);
    expect(released).toMatchObject({ handoffState: 'bot', assignedAgent: 'alice' });
    expect(channel.statuses.at(-1)).toEqual({ conversationId: 'c1', status: { state: 'completed' } });
    await expectCode(service.reply('c1', alice, 'late'), 'HANDOFF_NOT_HOLDER');
  });

  it('closing a held conversation completes the handoff; the seller writing again reopens it', async () => {
    await seller('c1');
    await service.takeOver('c1', alice);
    await service.close('c1', alice);
    expect((await repositories.conversations.get('c1'))?.handoffState).toBe('closed');
    expect(channel.statuses.at(-1)?.status).toEqual({ state: 'completed' });
    await seller('c1', 'one more question');
    expect((await repositories.conversations.get('c1'))?.handoffState).toBe('bot');
  });

  it('a queued request cannot be closed or released without a take-over', async () => {
    await seller('c1');
    await service.request('c1', summary);
    await expectCode(service.close('c1', alice), 'HANDOFF_INVALID_TRANSITION');
    await expectCode(service.release('c1', alice), 'HANDOFF_NOT_HOLDER');
  });

  it('cancel leaves the queue; cancel in another state does nothing', async () => {
    await seller('c1');
    await service.cancel('c1');
    await service.request('c1', summary);
    await service.cancel('c1');
    expect((await repositories.conversations.get('c1'))).toMatchObject({ handoffState: 'bot', waitingSince: null });
    expect(await service.queue()).toEqual([]);
  });

  it('outside office hours the request fails at once, is recorded, and the bot is told out_of_hours', async () => {
    open = false;
    await seller('c1');
    expect(await service.request('c1', summary)).toEqual({ outcome: 'failed', reason: 'out_of_hours' });
    const record = await repositories.conversations.get('c1');
    expect(record).toMatchObject({ handoffState: 'bot', caseSummary: summary, handoffRequestedAt: clock.toISOString() });
    await service.notifyOutOfHours('c1');
    expect(channel.statuses).toEqual([{ conversationId: 'c1', status: { state: 'failed', reason: 'out_of_hours' } }]);
  });

  it('the sweep fails waits longer than HANDOFF_MAX_WAIT_SECONDS with no_agent', async () => {
    await seller('c1');
    await seller('c2');
    await service.request('c1', summary);
    advance(200);
    await service.request('c2', summary);
    advance(100);
    expect(await service.sweep()).toBe(1);
    expect(channel.statuses).toEqual([{ conversationId: 'c1', status: { state: 'failed', reason: 'no_agent' } }]);
    expect((await repositories.conversations.get('c1'))?.handoffState).toBe('bot');
    expect(await service.queuePlace('c2')).toMatchObject({ position: 1 });
    advance(300);
    expect(await service.sweep()).toBe(1);
    expect(await service.sweep()).toBe(0);
  });

  it('two staff taking over at once: exactly one wins', async () => {
    await seller('c1');
    await service.request('c1', summary);
    const results = await Promise.allSettled([service.takeOver('c1', alice), service.takeOver('c1', bob)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const loser = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(['HANDOFF_CONFLICT', 'HANDOFF_ALREADY_TAKEN']).toContain((loser.reason as HandoffError).code);
  });

  it('unknown conversations are CONVERSATION_NOT_FOUND', async () => {
    await expectCode(service.takeOver('nope', alice), 'CONVERSATION_NOT_FOUND');
  });
});
