import { ActivityHandler, ActivityTypes, type Activity, type Middleware, type TurnContext } from 'botbuilder';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { ConversationNotFoundError } from '../../src/channels/conversation-gateway.js';
import { DirectLineChannel, type StreamSink } from '../../src/channels/directline/directline-channel.js';
import { MemoryConversationStore } from '../../src/channels/directline/memory-conversation-store.js';
import { SyncStoreAdapter } from '../../src/channels/directline/sync-store-adapter.js';
import { TokenService } from '../../src/channels/directline/token-service.js';

const SECRET = 'unit-secret-0123456789';
const config = parseConfig({ LOG_LEVEL: 'silent', DEFAULT_LOCALE: 'zh-CN' });

/** A bot that shows what it received, and sends a trace next to its reply (the trace must never reach the seller). */
function probeBot(seen: string[]): ActivityHandler {
  const bot = new ActivityHandler();
  bot.onMembersAdded(async (context, next) => {
    await context.sendActivity(`welcome ${context.activity.locale}`);
    await next();
  });
  bot.onMessage(async (context, next) => {
    seen.push(`message:${context.activity.text}:${context.activity.locale}:${context.activity.from.id}`);
    await context.sendActivity({ type: ActivityTypes.Trace, name: 'debug', value: 'internal' });
    await context.sendActivities([{ type: 'message', text: `one ${context.activity.text}` }, { type: 'message', text: 'two' }]);
    await next();
  });
  bot.onEvent(async (context, next) => {
    seen.push(`event:${context.activity.name}:${JSON.stringify(context.activity.value)}:${context.activity.locale}`);
    await context.sendActivity(`event ${context.activity.name}`);
    await next();
  });
  return bot;
}

interface Frame {
  activities: { type: string; text?: string; id: string; from: { id: string; role: string; name?: string }; timestamp: string }[];
  watermark: string;
}

class RecordingSink implements StreamSink {
  readonly frames: Frame[] = [];
  closed?: number;
  send(frame: string): void {
    this.frames.push(JSON.parse(frame) as Frame);
  }
  close(code: number): void {
    this.closed = code;
  }
  get activities(): Frame['activities'] {
    return this.frames.flatMap((f) => f.activities);
  }
}

const channels: DirectLineChannel[] = [];
afterEach(async () => {
  for (const c of channels.splice(0)) await c.close();
});

function build(middleware: Middleware[] = [], seen: string[] = []): { channel: DirectLineChannel; store: MemoryConversationStore; seen: string[] } {
  const store = new MemoryConversationStore();
  const channel = new DirectLineChannel({
    bot: probeBot(seen),
    middleware,
    onTurnError: async () => undefined,
    store: new SyncStoreAdapter(store),
    config,
    logger: createLogger('silent'),
    secret: SECRET,
  });
  channels.push(channel);
  return { channel, store, seen };
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 30));

describe('DirectLineChannel', () => {
  it('runs the welcome in the page locale and stores it before any stream opens', async () => {
    const { channel, store } = build();
    const { conversationId } = await channel.issueWidgetToken('en', undefined);
    await settle();
    expect(store.activitiesAfter(conversationId, 0).map((e) => e.activity.text)).toEqual(['welcome en']);
    const sink = new RecordingSink();
    channel.attachStream(conversationId, 0, sink);
    await settle();
    expect(sink.frames).toHaveLength(1);
    expect(sink.frames[0]!.watermark).toBe('1');
  });

  it('echoes, then types, then sends the replies of one sendActivities call as one frame, never the trace', async () => {
    const middlewareLog: string[] = [];
    const middleware: Middleware = {
      onTurn: async (context: TurnContext, next) => {
        middlewareLog.push(`before:${context.activity.type}`);
        context.onSendActivities(async (_ctx, activities, send) => {
          middlewareLog.push(...activities.map((a) => `send:${a.type}`));
          return send();
        });
        await next();
      },
    };
    const { channel, store, seen } = build([middleware]);
    const { conversationId, token } = await channel.issueWidgetToken('zh-CN', undefined);
    await settle();
    const sink = new RecordingSink();
    channel.attachStream(conversationId, 1, sink);
    const principal = channel.authenticate(`Bearer ${token}`);
    const { id } = await channel.postActivity(principal, conversationId, {
      type: 'message',
      text: 'hi',
      locale: 'en-US',
      from: { id: 'spoofed', role: 'bot' },
      channelData: { clientActivityID: 'c-1' },
    });
    await settle();
    expect(sink.frames.map((f) => f.activities.map((a) => a.type))).toEqual([['message', 'typing'], ['message', 'message']]);
    const [echo, typing] = sink.frames[0]!.activities;
    expect(echo).toMatchObject({ id, text: 'hi', from: { role: 'user' }, channelData: { clientActivityID: 'c-1' } });
    expect(echo!.from.id).toMatch(/^dl_/);
    expect(typing!.from.role).toBe('bot');
    expect(sink.frames[1]!.activities.map((a) => a.text)).toEqual(['one hi', 'two']);
    expect(seen).toEqual([`message:hi:en-US:${echo!.from.id}`]);
    expect(middlewareLog).toContain('send:trace');
    expect(store.activitiesAfter(conversationId, 0).map((e) => e.activity.type)).not.toContain('trace');
    const stamps = store.activitiesAfter(conversationId, 0).map((e) => new Date(e.activity.timestamp!).getTime());
    expect([...stamps].sort((a, b) => a - b)).toEqual(stamps);
    expect(new Set(stamps).size).toBe(stamps.length);
  });

  it('runs the turns of one conversation one at a time, in order', async () => {
    const order: string[] = [];
    let running = 0;
    const slow: Middleware = {
      onTurn: async (context, next) => {
        if (context.activity.type !== 'message') return next();
        running += 1;
        order.push(`${context.activity.text}:${running}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
        running -= 1;
        await next();
      },
    };
    const { channel } = build([slow]);
    const { conversationId, token } = await channel.issueWidgetToken('zh-CN', undefined);
    const principal = channel.authenticate(`Bearer ${token}`);
    for (const text of ['a', 'b', 'c']) void channel.postActivity(principal, conversationId, { type: 'message', text });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(order).toEqual(['a:1', 'b:1', 'c:1']);
  });

  it('deliver() pushes an agent message to stream and history; dispatchEvent() runs a turn in the seller locale', async () => {
    const { channel, store, seen } = build();
    const { conversationId, token } = await channel.issueWidgetToken('zh-CN', undefined);
    await settle();
    const sink = new RecordingSink();
    channel.attachStream(conversationId, 1, sink);
    await channel.postActivity(channel.authenticate(`Bearer ${token}`), conversationId, { type: 'message', text: 'q', locale: 'en' });
    await settle();

    const id = await channel.deliver(conversationId, { text: 'agent here', from: { id: 'agent:li', name: 'Li', role: 'bot' } });
    const delivered = sink.activities.find((a) => a.id === id);
    expect(delivered).toMatchObject({ type: 'message', text: 'agent here', from: { id: 'agent:li', name: 'Li', role: 'bot' } });
    expect(store.activitiesAfter(conversationId, 0).some((e) => e.activity.id === id)).toBe(true);

    await channel.dispatchEvent(conversationId, 'handoff.status', { state: 'completed' });
    expect(seen).toContain('event:handoff.status:{"state":"completed"}:en');
    expect(sink.activities.at(-1)?.text).toBe('event handoff.status');

    await expect(channel.deliver('nope', { text: 'x' })).rejects.toBeInstanceOf(ConversationNotFoundError);
    await expect(channel.dispatchEvent('nope', 'x', null)).rejects.toBeInstanceOf(ConversationNotFoundError);
    await expect(channel.deliver(conversationId, { type: 'trace' })).rejects.toThrow(RangeError);
  });

  it('accepts a previous page token (even expired) to resume its conversation as the same user', async () => {
    const { channel } = build();
    const first = await channel.issueWidgetToken('zh-CN', undefined);
    const expired = new TokenService(SECRET, 1200, () => Date.now() - 3 * 3600 * 1000).issue(first.conversationId, first.userId);
    expect(() => channel.authenticate(`Bearer ${expired.token}`)).toThrow(/expired/);
    const resumed = await channel.issueWidgetToken('zh-CN', expired.token);
    expect(resumed).toMatchObject({ conversationId: first.conversationId, userId: first.userId });
  });

  it('answers several POSTs of one conversation in history order, each after its message was stored', async () => {
    const { channel, store } = build();
    const { conversationId, token } = await channel.issueWidgetToken('zh-CN', undefined);
    const principal = channel.authenticate(`Bearer ${token}`);
    const answered: string[] = [];
    await Promise.all(
      ['a', 'b', 'c'].map((text) =>
        channel.postActivity(principal, conversationId, { type: 'message', text }).then(({ id }) => {
          expect(store.activitiesAfter(conversationId, 0).some((entry) => entry.activity.id === id)).toBe(true);
          answered.push(id);
        }),
      ),
    );
    const history = store.activitiesAfter(conversationId, 0).filter((entry) => entry.activity.from?.role === 'user');
    expect(answered).toEqual(history.map((entry) => entry.activity.id));
  });

  it('replay() answers seller messages stored before a crash but never seen by the bot', async () => {
    const { channel, store, seen } = build();
    const { conversationId } = await channel.issueWidgetToken('zh-CN', undefined);
    await settle();
    const conversation = store.getConversation(conversationId)!;
    const stored: Partial<Activity> = {
      type: ActivityTypes.Message,
      text: 'lost?',
      id: `${conversationId}|seller-1`,
      channelId: 'directline',
      conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
      from: { id: conversation.userId, name: '', role: 'user' },
      recipient: { id: 'bot', name: 'bot', role: 'bot' },
      locale: 'zh-CN',
    };
    store.appendActivity(conversationId, stored);
    await store.durable();
    await channel.replay([{ conversationId, activity: stored }, { conversationId: 'gone', activity: stored }]);
    expect(seen).toEqual([`message:lost?:zh-CN:${conversation.userId}`]);
    expect(store.activitiesAfter(conversationId, 0).map((e) => e.activity.text)).toEqual(['welcome zh-CN', 'lost?', 'one lost?', 'two']);
  });

  it('answers 429 when one conversation floods its turn queue', async () => {
    const blocking: Middleware = { onTurn: async (_c, next) => { await new Promise((r) => setTimeout(r, 50)); await next(); } };
    const { channel } = build([blocking]);
    const { conversationId, token } = await channel.issueWidgetToken('zh-CN', undefined);
    const principal = channel.authenticate(`Bearer ${token}`);
    const post = (): Promise<unknown> => channel.postActivity(principal, conversationId, { type: 'message', text: 'x' });
    const accepted = Array.from({ length: 15 }, post);
    await expect(post()).rejects.toMatchObject({ status: 429 });
    await Promise.all(accepted);
  });
});

/** The memory store whose next commit fails (a full disk, a lost database file). */
class FailingCommitStore extends MemoryConversationStore {
  failNextCommit = false;
  override durable(): Promise<void> {
    if (!this.failNextCommit) return super.durable();
    this.failNextCommit = false;
    return Promise.reject(new Error('disk I/O error'));
  }
}

describe('DirectLineChannel when the store cannot commit', () => {
  it('refuses the message and keeps no in-memory entry for the conversation', async () => {
    const store = new FailingCommitStore();
    const channel = new DirectLineChannel({
      bot: probeBot([]),
      middleware: [],
      onTurnError: async () => undefined,
      store: new SyncStoreAdapter(store),
      config,
      logger: createLogger('silent'),
      secret: SECRET,
    });
    channels.push(channel);
    const { conversationId, token } = await channel.issueWidgetToken('en', undefined);
    await settle();
    expect(channel.liveConversations).toBe(0);

    store.failNextCommit = true;
    await expect(channel.postActivity(channel.authenticate(`Bearer ${token}`), conversationId, { type: 'message', text: 'lost' })).rejects.toThrow(
      'disk I/O error',
    );
    await settle();
    expect(channel.liveConversations).toBe(0);

    // The next message goes through as usual.
    await channel.postActivity(channel.authenticate(`Bearer ${token}`), conversationId, { type: 'message', text: 'again' });
    await settle();
    expect(store.activitiesAfter(conversationId, 0).map((e) => e.activity.text)).toContain('one again');
    expect(channel.liveConversations).toBe(0);
  });
});
