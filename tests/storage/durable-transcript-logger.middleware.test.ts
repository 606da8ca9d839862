import { ActivityTypes, TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { DurableTranscriptLoggerMiddleware } from '../../src/storage/durable-transcript-logger.middleware.js';
import { MemoryTranscriptStore } from '../../src/storage/memory-transcript.store.js';

const logger = createLogger('silent');

async function transcriptOf(store: MemoryTranscriptStore, context: TurnContext): Promise<Activity[]> {
  const page = await store.getTranscriptActivities(context.activity.channelId, context.activity.conversation.id);
  return page.items;
}

describe('DurableTranscriptLoggerMiddleware', () => {
  it('records the seller message before the bot runs and each reply as soon as it is sent', async () => {
    const store = new MemoryTranscriptStore();
    const seen: string[][] = [];
    const adapter = new TestAdapter(async (context) => {
      seen.push((await transcriptOf(store, context)).map((a) => `${a.from.role}:${a.text}`));
      await context.sendActivity('first reply');
      seen.push((await transcriptOf(store, context)).map((a) => `${a.from.role}:${a.text}`));
      await context.sendActivity('second reply');
    });
    adapter.use(new DurableTranscriptLoggerMiddleware(store, logger));
    await adapter.send('我想解绑').assertReply('first reply').assertReply('second reply').startTest();

    expect(seen).toEqual([['user:我想解绑'], ['user:我想解绑', 'bot:first reply']]);
    const conversationId = adapter.conversation.conversation.id;
    const all = (await store.getTranscriptActivities(adapter.conversation.channelId!, conversationId)).items;
    expect(all.map((a) => a.text)).toEqual(['我想解绑', 'first reply', 'second reply']);
    expect(all.every((a) => typeof a.id === 'string' && a.timestamp instanceof Date)).toBe(true);
  });

  it('records events the bot sends (handoff) but not ContinueConversation turns', async () => {
    const store = new MemoryTranscriptStore();
    const adapter = new TestAdapter(async (context) => {
      if (context.activity.type === ActivityTypes.Message) {
        await context.sendActivity({ type: ActivityTypes.Event, name: 'handoff.initiate', value: { reason: 'seller_request' } });
      }
    });
    adapter.use(new DurableTranscriptLoggerMiddleware(store, logger));
    await adapter.send('人工').startTest();
    await adapter.processActivity({ type: ActivityTypes.Event, name: 'ContinueConversation' });
    const conversationId = adapter.conversation.conversation.id;
    const all = (await store.getTranscriptActivities(adapter.conversation.channelId!, conversationId)).items;
    expect(all.map((a) => a.name ?? a.text)).toEqual(['人工', 'handoff.initiate']);
  });

  it('fails the turn, without running the bot, when the seller message cannot be recorded', async () => {
    const failing = {
      logActivity: async () => {
        throw new Error('disk full');
      },
    };
    let ran = false;
    const adapter = new TestAdapter(async () => {
      ran = true;
    });
    adapter.use(new DurableTranscriptLoggerMiddleware(failing, logger));
    await expect(adapter.send('hello').startTest()).rejects.toThrow(/disk full/);
    expect(ran).toBe(false);
  });
});
