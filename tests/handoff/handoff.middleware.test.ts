import { ActivityHandler, EventFactory, MemoryTranscriptStore, TestAdapter, TranscriptLoggerMiddleware, type Activity } from 'botbuilder';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { HandoffMiddleware } from '../../src/bot/handoff.middleware.js';
import { createTranslator } from '../../src/i18n/create-i18n.js';
import { loadLocaleResources } from '../../src/i18n/load-locales.js';
import { createLogger } from '../../src/logger.js';
import { HandoffService } from '../../src/handoff/handoff-service.js';
import { createInMemoryHandoffRepositories } from '../../src/handoff/in-memory.repositories.js';
import { LiveHub, type LiveEvent } from '../../src/handoff/live-events.js';
import type { HandoffRepositories } from '../../src/handoff/ports.js';
import { RecordingSellerChannel } from './fake-seller-channel.js';

const translator = createTranslator(loadLocaleResources(join(import.meta.dirname, '../../locales')));

/** A stand-in for the lead's bot that follows the handoff contract. */
function contractBot(locale: string): ActivityHandler {
  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    const text = context.activity.text ?? '';
    const intent = text === 'human' ? 'handoff.human' : text.startsWith('?') ? 'none' : 'faq.unbind';
    await context.sendActivity({
      type: 'trace',
      name: 'nlu.recognition',
      replyToId: context.activity.id,
      value: { text, intent, score: intent === 'none' ? 0.1 : 0.9, alternatives: [], ambiguous: false },
    });
    if (text === 'human') {
      await context.sendActivity('connecting');
      await context.sendActivity(
        EventFactory.createHandoffInitiation(context, {
          reason: 'seller_request',
          locale,
          intents: [{ text, intent, score: 0.9 }],
          scenario: 'scenario.unbind',
          step: 'askAccount',
          answers: { account: 'cxt-123' },
        }),
      );
    } else if (text.startsWith('rate ')) {
      await context.sendActivity({ type: 'event', name: 'handoff.rating', value: { score: Number(text.slice(5)) } });
    } else if (text.startsWith('callback ')) {
      const [name, phone] = text.slice(9).split('|');
      await context.sendActivity({ type: 'event', name: 'handoff.callback', value: { name, phone } });
    } else if (text === 'cancel') {
      await context.sendActivity({ type: 'event', name: 'handoff.cancel' });
    } else {
      await context.sendActivity(`bot: ${text}`);
    }
    await next();
  });
  bot.onEvent(async (context, next) => {
    if (context.activity.name === 'handoff.status') await context.sendActivity(`status: ${(context.activity.value as { state: string }).state}`);
    await next();
  });
  return bot;
}

describe('HandoffMiddleware (botbuilder TestAdapter)', () => {
  let repositories: HandoffRepositories;
  let channel: RecordingSellerChannel;
  let service: HandoffService;
  let events: LiveEvent[];
  let transcripts: MemoryTranscriptStore;
  let open: boolean;

  const makeAdapter = (locale: string): TestAdapter => {
    const bot = contractBot(locale);
    const adapter = new TestAdapter(async (context) => bot.run(context));
    adapter.use(new TranscriptLoggerMiddleware(transcripts));
    adapter.use(
      new HandoffMiddleware({ service, repositories, live: liveHub, translator, defaultLocale: 'zh-CN', logger: createLogger('silent') }),
    );
    return adapter;
  };
  let liveHub: LiveHub;

  beforeEach(() => {
    repositories = createInMemoryHandoffRepositories();
    channel = new RecordingSellerChannel();
    events = [];
    open = true;
    transcripts = new MemoryTranscriptStore();
    liveHub = new LiveHub();
    liveHub.subscribe((event) => events.push(event));
    service = new HandoffService({
      repositories,
      channel,
      live: liveHub,
      officeHours: { isOpen: () => open },
      maxWaitSeconds: 300,
      onError: (error) => {
        throw error;
      },
    });
  });

  it('runs the whole handoff: queue message, silent bot while an agent holds it, hand-back, rating', async () => {
    const adapter = makeAdapter('en');
    const conversationId = adapter.conversation.conversation.id;

    await adapter.send('hello').assertReply('bot: hello');
    const recognitions = await repositories.recognitions.listByConversation(conversationId);
    expect(recognitions).toHaveLength(1);
    expect(recognitions[0]).toMatchObject({ text: 'hello', intent: 'faq.unbind', score: 0.9 });
    expect(events).toContainEqual(expect.objectContaining({ type: 'activity', activity: expect.objectContaining({ text: 'hello', id: recognitions[0]!.activityId }) }));

    await adapter
      .send('human')
      .assertReply('connecting')
      .assertReply((activity) => expect(activity).toMatchObject({ type: 'event', name: 'handoff.initiate' }))
      .assertReply((activity) =>
        expect(activity.text).toBe(
          translator.forLocale('en')('handoff:queue.position', { position: 1, minutes: 2 }),
        ),
      );
    const queued = await repositories.conversations.get(conversationId);
    expect(queued).toMatchObject({ handoffState: 'queued', caseSummary: { reason: 'seller_request', scenario: 'scenario.unbind', answers: { account: 'cxt-123' } } });

    // While queued the seller may still ask the bot.
    await adapter.send('fees?').assertReply('bot: fees?');

    await service.takeOver(conversationId, { username: 'alice', displayName: 'Alice' });
    expect(channel.statuses).toEqual([{ conversationId, status: { state: 'accepted', agentName: 'Alice' } }]);
    events.length = 0;
    await adapter.send('<img src=x onerror=alert(1)>').assertNoReply('the bot stays silent', 300);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'activity', conversationId, activity: expect.objectContaining({ text: '<img src=x onerror=alert(1)>' }) }),
    );
    expect((await repositories.conversations.get(conversationId))?.lastSellerText).toBe('<img src=x onerror=alert(1)>');

    await service.release(conversationId, { username: 'alice', displayName: 'Alice' });
    expect(channel.statuses.at(-1)).toEqual({ conversationId, status: { state: 'completed' } });
    // The channel would now run this event through the bot:
    await adapter.send({ type: 'event', name: 'handoff.status', value: { state: 'completed' } } as Partial<Activity>).assertReply('status: completed');
    await adapter.send('rate 4').assertReply((a) => expect(a).toMatchObject({ name: 'handoff.rating' }));
    const ratings = await repositories.ratings.list();
    expect(ratings).toHaveLength(1);
    expect(ratings[0]).toMatchObject({ conversationId, score: 4, agent: 'alice' });
    await adapter.send('back to the bot').assertReply('bot: back to the bot');

    // handoff.status is in the transcript (the transcript logger sees the incoming event).
    const logged = (await transcripts.getTranscriptActivities('test', conversationId)).items;
    expect(logged.some((a) => a.type === 'event' && a.name === 'handoff.status')).toBe(true);
  });

  it('ends the turn of another channel\'s activity that names a known conversation id, unseen by the bot', async () => {
    const adapter = makeAdapter('en');
    const conversationId = adapter.conversation.conversation.id;
    const owned = await repositories.conversations.touch(
      {
        conversationId,
        channelId: 'directline',
        locale: 'zh-CN',
        handoffState: 'bot',
        assignedAgent: null,
        createdAt: '2026-11-30T08:00:00.000Z',
        lastActivityAt: '2026-11-30T08:00:00.000Z',
        waitingSince: null,
        handoffRequestedAt: null,
        caseSummary: null,
        lastSellerText: null,
        reference: null,
      },
      () => ({}),
    );
    await adapter.send('human').assertNoReply('the bot never sees it', 300);
    expect(await repositories.conversations.get(conversationId)).toEqual(owned);
    expect(events.filter((e) => e.type === 'activity')).toEqual([]);
  });

  it('stores no rating for a conversation no staff member held', async () => {
    const adapter = makeAdapter('en');
    await adapter.send('hello').assertReply('bot: hello');
    await adapter.send('rate 1').assertReply((a) => expect(a).toMatchObject({ name: 'handoff.rating' }));
    expect(await repositories.ratings.list()).toEqual([]);
    expect(events.filter((e) => e.type === 'rating')).toEqual([]);
  });

  it('a seller message from an "agent:" account is still a seller message: silenced while staff hold the conversation', async () => {
    const adapter = makeAdapter('en');
    const conversationId = adapter.conversation.conversation.id;
    await adapter.send('hello').assertReply('bot: hello');
    await service.takeOver(conversationId, { username: 'alice', displayName: 'Alice' });
    await adapter
      .send({ type: 'message', text: 'I am staff', from: { id: 'agent:alice', name: 'Alice' } } as Partial<Activity>)
      .assertNoReply('the bot stays silent', 300);
    expect((await repositories.conversations.get(conversationId))?.lastSellerText).toBe('I am staff');
  });

  it('tells a zh-CN seller the queue place in Chinese', async () => {
    const adapter = makeAdapter('zh-CN');
    await adapter
      .send('human')
      .assertReply('connecting')
      .assertReply((a) => expect(a.name).toBe('handoff.initiate'))
      .assertReply(translator.forLocale('zh-CN')('handoff:queue.position', { position: 1, minutes: 2 }));
  });

  it('outside office hours: no queue message, then the bot receives handoff.status failed/out_of_hours', async () => {
    open = false;
    const adapter = makeAdapter('en');
    const conversationId = adapter.conversation.conversation.id;
    await adapter
      .send('human')
      .assertReply('connecting')
      .assertReply((a) => expect(a.name).toBe('handoff.initiate'))
      .assertNoReply('the bot stays silent', 300);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(channel.statuses).toEqual([{ conversationId, status: { state: 'failed', reason: 'out_of_hours' } }]);
    expect((await repositories.conversations.get(conversationId))?.handoffState).toBe('bot');
  });

  it('stores a valid callback request and ignores an invalid phone number', async () => {
    const adapter = makeAdapter('en');
    await adapter.send('callback Wang|+86 131 2289 1139').assertReply((a) => expect(a.name).toBe('handoff.callback'));
    await adapter.send('callback Li|call me maybe').assertReply((a) => expect(a.name).toBe('handoff.callback'));
    const callbacks = await repositories.callbacks.list();
    expect(callbacks).toHaveLength(1);
    // Stored as the one callback schema normalises it (spaces dropped).
    expect(callbacks[0]).toMatchObject({ name: 'Wang', phone: '+8613122891139', status: 'open' });
    expect(events).toContainEqual(expect.objectContaining({ type: 'callback' }));
  });

  it('handoff.cancel takes the seller out of the queue', async () => {
    const adapter = makeAdapter('en');
    const conversationId = adapter.conversation.conversation.id;
    await adapter.send('human').assertReply('connecting').assertReply((a) => expect(a.name).toBe('handoff.initiate')).assertReply(() => undefined);
    await adapter.send('cancel').assertReply((a) => expect(a.name).toBe('handoff.cancel'));
    expect((await repositories.conversations.get(conversationId))?.handoffState).toBe('bot');
  });

  it('records not-understood messages for the dashboard', async () => {
    const adapter = makeAdapter('en');
    await adapter.send('?? what').assertReply('bot: ?? what');
    expect((await repositories.recognitions.latestNotUnderstood(5)).map((r) => r.text)).toEqual(['?? what']);
  });

  it('stores recognitions with personal data masked, while the transcript keeps the seller\'s words', async () => {
    const adapter = makeAdapter('en');
    const conversationId = adapter.conversation.conversation.id;
    await adapter.send('?? 我的手机13812345678').assertReply('bot: ?? 我的手机13812345678');
    expect((await repositories.recognitions.listByConversation(conversationId)).map((r) => r.text)).toEqual(['?? 我的手机138****5678']);
    const logged = (await transcripts.getTranscriptActivities('test', conversationId)).items;
    expect(logged.map((a) => a.text)).toContain('?? 我的手机13812345678');
  });
});
