import { ActivityTypes, type Activity, type ActivityHandler, type CloudAdapter, type ConversationReference, type TranscriptLogger } from 'botbuilder';
import { randomUUID } from 'node:crypto';
import { ConversationNotFoundError, type ConversationGateway } from '../channels/conversation-gateway.js';
import type { ConversationIndex } from '../handoff/ports.js';
import { SERVER_EVENT_KEY } from '../handoff/server-event.js';

/** Collaborators of {@link CloudAdapterGateway}. */
export interface CloudAdapterGatewayOptions {
  /** The adapter behind `/api/messages`. */
  readonly adapter: CloudAdapter;
  /** MicrosoftAppId; empty for anonymous (Emulator). */
  readonly appId: string;
  readonly bot: ActivityHandler;
  /** Where the handoff middleware keeps each conversation's reference. */
  readonly conversations: ConversationIndex;
  /** A dispatched event starts its turn as a proactive ContinueConversation, which no middleware records; it is recorded here. */
  readonly transcripts: TranscriptLogger;
}

/**
 * {@link ConversationGateway} for conversations that came in through `/api/messages` (Emulator and Azure Bot
 * Service channels): proactive turns over the stored conversation reference, so staff can take those over too.
 */
export class CloudAdapterGateway implements ConversationGateway {
  constructor(private readonly options: CloudAdapterGatewayOptions) {}

  /** {@inheritDoc ConversationGateway.deliver} */
  async deliver(conversationId: string, activity: Partial<Activity>): Promise<string> {
    const reference = await this.reference(conversationId);
    if (activity.type === ActivityTypes.Trace) throw new RangeError('deliver(): trace activities never reach the seller');
    let id = '';
    await this.options.adapter.continueConversationAsync(this.options.appId, reference, async (context) => {
      const from = activity.from;
      if (from) {
        // TurnContext stamps every outgoing activity with the bot's account; keep the agent's name instead.
        context.onSendActivities(async (_ctx, activities, next) => {
          for (const outgoing of activities) outgoing.from = { ...from };
          return next();
        });
      }
      const response = await context.sendActivity({ type: ActivityTypes.Message, ...activity });
      id = response?.id ?? '';
    });
    return id;
  }

  /** {@inheritDoc ConversationGateway.dispatchEvent} */
  async dispatchEvent(conversationId: string, name: string, value: unknown): Promise<void> {
    const reference = await this.reference(conversationId);
    await this.options.adapter.continueConversationAsync(this.options.appId, reference, async (context) => {
      // The continuation activity is already an event from the seller to the bot; make it this event.
      const event = context.activity;
      event.name = name;
      event.value = value;
      event.id = `${conversationId}|event-${randomUUID()}`;
      event.timestamp = new Date();
      delete (event as Partial<Activity>).relatesTo;
      await this.options.transcripts.logActivity({ ...event });
      context.turnState.set(SERVER_EVENT_KEY, true);
      await this.options.bot.run(context);
    });
  }

  private async reference(conversationId: string): Promise<Partial<ConversationReference>> {
    const record = await this.options.conversations.get(conversationId);
    if (!record?.reference) throw new ConversationNotFoundError(conversationId);
    return record.reference as Partial<ConversationReference>;
  }
}
