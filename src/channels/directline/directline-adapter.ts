import {
  ActivityTypes,
  BotAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';

/**
 * Where the adapter hands the bot's outgoing activities (one call per batch between `delay`s); resolves with their
 * ids once they are stored and shown.
 */
export type OutgoingSink = (conversationId: string, activities: Partial<Activity>[]) => Promise<string[]>;

/**
 * Runs bot turns in-process for the Direct Line channel: `runTurn()` builds a TurnContext, runs the middleware
 * registered with `use()` and then the bot; what the bot sends goes to the channel's sink, never over HTTP.
 * Activities of type `trace` stay in the turn (transcript middleware sees them) and never reach the seller.
 */
export class DirectLineAdapter extends BotAdapter {
  constructor(private readonly sink: OutgoingSink) {
    super();
  }

  /**
   * Runs one turn for `activity` through the middleware, then `logic` (the bot). `turnState` entries are set on the
   * context first (e.g. the flag of an event the server emitted, which no seller activity can set).
   */
  runTurn(
    activity: Partial<Activity>,
    logic: (context: TurnContext) => Promise<void>,
    turnState?: ReadonlyMap<symbol, unknown>,
  ): Promise<void> {
    const context = new TurnContext(this, activity);
    for (const [key, value] of turnState ?? []) context.turnState.set(key, value);
    return this.runMiddleware(context, logic);
  }

  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const conversationId = context.activity.conversation?.id;
    if (!conversationId) throw new Error('sendActivities(): the turn has no conversation id');
    const responses: ResourceResponse[] = [];
    let batch: Partial<Activity>[] = [];
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      const sending = batch;
      batch = [];
      for (const id of await this.sink(conversationId, sending)) responses.push({ id });
    };
    for (const activity of activities) {
      if (activity.type === 'delay') {
        await flush();
        const ms = typeof activity.value === 'number' ? activity.value : 1000;
        await new Promise((resolve) => setTimeout(resolve, Math.min(Math.max(ms, 0), 30_000)));
        responses.push({ id: '' });
      } else if (activity.type === ActivityTypes.Trace || activity.type === ActivityTypes.InvokeResponse) {
        await flush();
        responses.push({ id: '' });
      } else {
        batch.push(activity);
      }
    }
    await flush();
    return responses;
  }

  override async updateActivity(): Promise<void> {
    throw new Error('updateActivity(): the Direct Line channel cannot edit a sent activity');
  }

  override async deleteActivity(): Promise<void> {
    throw new Error('deleteActivity(): the Direct Line channel cannot delete a sent activity');
  }

  /** Proactive turn: an `event` named `continueConversation` addressed by `reference`. */
  override async continueConversation(
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    const activity = TurnContext.applyConversationReference(
      { type: ActivityTypes.Event, name: 'continueConversation' },
      reference,
      true,
    );
    await this.runTurn(activity, logic);
  }
}
