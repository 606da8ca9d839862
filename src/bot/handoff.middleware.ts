import { ActivityTypes, TurnContext, type Activity, type Middleware } from 'botbuilder';
import { randomUUID } from 'node:crypto';
import type { Translator } from '../i18n/create-i18n.js';
import { toSupportedLocale, type SupportedLocale } from '../i18n/supported-locales.js';
import type { Logger } from '../logger.js';
import {
  HANDOFF_EVENT_NAMES,
  RECOGNITION_TRACE_NAME,
  callbackRequestSchema,
  ratingValueSchema,
  recognitionTraceSchema,
} from '../handoff/bot-events.schema.js';
import { caseSummarySchema, type CaseSummary } from '../handoff/case-summary.js';
import type { HandoffService } from '../handoff/handoff-service.js';
import type { LiveHub } from '../handoff/live-events.js';
import { HandoffError } from '../handoff/handoff-errors.js';
import type { ConversationRecord, HandoffRepositories } from '../handoff/ports.js';
import { isServerEvent } from '../handoff/server-event.js';
import { maskPersonalData } from '../privacy/personal-data-mask.js';
import { toTranscriptEntry } from './handoff-transcript.js';

/** Collaborators of {@link HandoffMiddleware}. */
export interface HandoffMiddlewareOptions {
  readonly service: HandoffService;
  readonly repositories: HandoffRepositories;
  readonly live: LiveHub;
  readonly translator: Translator;
  readonly defaultLocale: SupportedLocale;
  readonly logger: Logger;
  readonly now?: () => Date;
}

/**
 * The bot side of the human handoff. Add it to every adapter after the transcript logger.
 * - Indexes every conversation and pushes seller and bot messages live to the console.
 * - Reads the bot's outgoing handoff events (`handoff.initiate`, `.cancel`, `.callback`, `.rating`) and its
 *   `nlu.recognition` traces.
 * - While a staff member holds the conversation, seller messages do not reach the bot (it stays silent).
 */
export class HandoffMiddleware implements Middleware {
  private readonly now: () => Date;

  constructor(private readonly options: HandoffMiddlewareOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const incoming = context.activity;
    const conversationId = incoming.conversation?.id;
    if (!conversationId || isContinueConversation(incoming)) {
      await next();
      return;
    }
    // Every incoming message is the seller's: staff messages reach the seller through the gateway, never as a turn.
    const isSellerMessage = incoming.type === ActivityTypes.Message;
    let record: ConversationRecord;
    try {
      record = await this.options.service.observe({
        conversationId,
        channelId: incoming.channelId,
        locale: toSupportedLocale(incoming.locale, this.options.defaultLocale),
        reference: TurnContext.getConversationReference(incoming) as Record<string, unknown>,
        ...(isSellerMessage ? { sellerText: incoming.text ?? '' } : {}),
      });
    } catch (error) {
      if (!(error instanceof HandoffError) || error.code !== 'CONVERSATION_CHANNEL_MISMATCH') throw error;
      // Another channel's conversation: the turn ends here, unseen by the bot and the console.
      this.options.logger.warn({ channel: incoming.channelId, conversation: conversationId }, `HandoffMiddleware: ${error.message}`);
      return;
    }
    if (isSellerMessage || (isServerEvent(context) && incoming.name?.startsWith('handoff.'))) {
      this.options.live.publish({ type: 'activity', conversationId, activity: toTranscriptEntry(incoming, this.now()) });
    }

    // Replies of the handoff follow the bot's own replies of the turn; actions that start another turn of this
    // conversation (dispatching an event) must wait until this one has ended.
    const endOfTurn: Array<() => Promise<void>> = [];
    const afterTurn: Array<() => Promise<void>> = [];
    context.onSendActivities(async (ctx, activities, sendNext) => {
      const responses = await sendNext();
      for (const [index, activity] of activities.entries()) {
        try {
          await this.onOutgoing(ctx, { ...activity, id: responses?.[index]?.id ?? activity.id }, endOfTurn, afterTurn);
        } catch (error) {
          this.options.logger.error({ err: error, conversation: conversationId }, 'HandoffMiddleware.onOutgoing(): failed');
        }
      }
      return responses;
    });

    if (record.handoffState === 'agent' && isSellerMessage) return;
    await next();
    for (const action of endOfTurn.splice(0)) {
      await action().catch((error: unknown) =>
        this.options.logger.error({ err: error, conversation: conversationId }, 'HandoffMiddleware: end-of-turn reply failed'),
      );
    }
    for (const action of afterTurn) {
      void action().catch((error: unknown) =>
        this.options.logger.error({ err: error, conversation: conversationId }, 'HandoffMiddleware: after-turn action failed'),
      );
    }
  }

  private async onOutgoing(
    context: TurnContext,
    activity: Partial<Activity>,
    endOfTurn: Array<() => Promise<void>>,
    afterTurn: Array<() => Promise<void>>,
  ): Promise<void> {
    const conversationId = context.activity.conversation.id;
    const { live, repositories, service } = this.options;
    if (activity.type === ActivityTypes.Message) {
      // No index write here: the turn's incoming activity already set lastActivityAt (one fsync per turn, not per reply).
      live.publish({ type: 'activity', conversationId, activity: toTranscriptEntry(activity, this.now()) });
      return;
    }
    if (activity.type === ActivityTypes.Trace && activity.name === RECOGNITION_TRACE_NAME) {
      const parsed = recognitionTraceSchema.safeParse(activity.value);
      if (!parsed.success) return this.reject(activity, parsed.error.message);
      const recognition = {
        conversationId,
        activityId: activity.replyToId ?? context.activity.id ?? '',
        // Stored and shown on the dashboard: personal data masked (the transcript keeps the seller's words).
        text: maskPersonalData(parsed.data.text),
        intent: parsed.data.intent,
        score: parsed.data.score,
        ambiguous: parsed.data.ambiguous,
        at: this.now().toISOString(),
      };
      await repositories.recognitions.append(recognition);
      live.publish({ type: 'recognition', recognition });
      return;
    }
    if (activity.type !== ActivityTypes.Event) return;
    switch (activity.name) {
      case HANDOFF_EVENT_NAMES.initiate: {
        live.publish({ type: 'activity', conversationId, activity: toTranscriptEntry(activity, this.now()) });
        const summary = this.caseSummary(activity.value, context);
        const outcome = await service.request(conversationId, summary);
        if (outcome.outcome === 'queued') {
          const t = this.options.translator.forLocale(toSupportedLocale(summary.locale, this.options.defaultLocale));
          const text = t('handoff:queue.position', { position: outcome.position, minutes: outcome.estimateMinutes });
          endOfTurn.push(async () => {
            await context.sendActivity(text);
          });
        } else if (outcome.outcome === 'failed') {
          afterTurn.push(() => service.notifyOutOfHours(conversationId));
        }
        return;
      }
      case HANDOFF_EVENT_NAMES.cancel:
        await service.cancel(conversationId);
        return;
      case HANDOFF_EVENT_NAMES.callback: {
        const parsed = callbackRequestSchema.safeParse(activity.value);
        if (!parsed.success) return this.reject(activity, parsed.error.message);
        const record = await repositories.conversations.get(conversationId);
        const callback = {
          id: randomUUID(),
          conversationId,
          name: parsed.data.name,
          phone: parsed.data.phone,
          locale: record?.locale ?? this.options.defaultLocale,
          createdAt: this.now().toISOString(),
          status: 'open' as const,
          handledBy: null,
        };
        await repositories.callbacks.add(callback);
        live.publish({ type: 'callback', callback });
        return;
      }
      case HANDOFF_EVENT_NAMES.rating: {
        const parsed = ratingValueSchema.safeParse(activity.value);
        if (!parsed.success) return this.reject(activity, parsed.error.message);
        const record = await repositories.conversations.get(conversationId);
        if (!record?.assignedAgent) {
          this.reject(activity, 'a rating for a conversation no staff member held');
          return;
        }
        const rating = {
          id: randomUUID(),
          conversationId,
          score: parsed.data.score,
          agent: record.assignedAgent,
          createdAt: this.now().toISOString(),
        };
        await repositories.ratings.add(rating);
        live.publish({ type: 'rating', rating });
        return;
      }
      default:
        return;
    }
  }

  /** A malformed summary must not keep the seller from a person: queue with what is known. */
  private caseSummary(value: unknown, context: TurnContext): CaseSummary {
    const parsed = caseSummarySchema.safeParse(value);
    if (parsed.success) return parsed.data;
    this.options.logger.warn({ issues: parsed.error.issues }, 'HandoffMiddleware: invalid handoff.initiate case summary');
    return {
      reason: 'seller_request',
      locale: toSupportedLocale(context.activity.locale, this.options.defaultLocale),
      intents: [],
      answers: {},
    };
  }

  private reject(activity: Partial<Activity>, message: string): void {
    this.options.logger.warn({ name: activity.name, type: activity.type, message }, 'HandoffMiddleware: invalid event value ignored');
  }
}

function isContinueConversation(activity: Activity): boolean {
  return activity.type === ActivityTypes.Event && activity.name === 'ContinueConversation';
}
