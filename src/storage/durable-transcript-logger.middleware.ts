import {
  ActivityEventNames,
  ActivityTypes,
  RoleTypes,
  TurnContext,
  type Activity,
  type Middleware,
  type TranscriptLogger,
} from 'botbuilder';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';

/**
 * Records every activity of a turn in the transcript as it happens, awaiting each write.
 *
 * botbuilder's own TranscriptLoggerMiddleware buffers the turn and flushes it only when the turn ends, without
 * awaiting the store: a SIGKILL during a slow turn loses the seller's message and the replies already sent.
 * This one logs the incoming activity before the bot runs (a failure fails the turn, so nothing unrecorded is
 * acknowledged) and each outgoing activity right after it was sent (a failure is logged; the seller already
 * has the reply). Same filtering as botbuilder: ContinueConversation events are not recorded. Outgoing
 * activities without `from.role` are recorded with role `bot` (agents' messages carry their own role).
 */
export class DurableTranscriptLoggerMiddleware implements Middleware {
  constructor(
    private readonly transcripts: TranscriptLogger,
    private readonly logger: Logger,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const incoming = context.activity;
    if (incoming && !isContinueConversation(incoming)) {
      if (incoming.from && !incoming.from.role) incoming.from.role = RoleTypes.User;
      await this.transcripts.logActivity(stamped({ ...incoming }));
    }

    context.onSendActivities(async (_ctx, activities, sendNext) => {
      const responses = await sendNext();
      // Logged in order, awaited together: the whole batch waits for one commit, not one per activity.
      const logged = activities.map((activity, index) => {
        const copy = stamped({ ...activity } as Activity);
        // The console and the role index need a role; what the bot sends without one is the bot's.
        if (copy.from && !copy.from.role) copy.from = { ...copy.from, role: RoleTypes.Bot };
        copy.id = responses?.[index]?.id ?? copy.id ?? `g_${randomUUID()}`;
        return this.record(copy);
      });
      await Promise.all(logged);
      return responses;
    });

    context.onUpdateActivity(async (_ctx, activity, updateNext) => {
      await updateNext();
      await this.record(stamped({ ...activity, type: ActivityTypes.MessageUpdate } as Activity));
    });

    context.onDeleteActivity(async (_ctx, reference, deleteNext) => {
      await deleteNext();
      const deletion = TurnContext.applyConversationReference(
        { type: ActivityTypes.MessageDelete, id: reference.activityId },
        reference,
        false,
      ) as Activity;
      await this.record(stamped(deletion));
    });

    await next();
  }

  private async record(activity: Activity): Promise<void> {
    if (isContinueConversation(activity)) return;
    try {
      await this.transcripts.logActivity(activity);
    } catch (error) {
      this.logger.error(
        { err: error, conversation: activity.conversation?.id, activityId: activity.id },
        'DurableTranscriptLoggerMiddleware.record(): could not record a sent activity',
      );
    }
  }
}

function isContinueConversation(activity: Partial<Activity>): boolean {
  return activity.type === ActivityTypes.Event && activity.name === ActivityEventNames.ContinueConversation;
}

function stamped(activity: Activity): Activity {
  if (!activity.timestamp) activity.timestamp = new Date();
  return activity;
}
