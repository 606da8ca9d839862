import type { Activity } from 'botbuilder';

/**
 * What the rest of the product (handoff, staff console) may do to a live seller conversation of a channel,
 * without knowing the channel's protocol. Implemented by the Direct Line channel (`DirectLineChannel`).
 */
export interface ConversationGateway {
  /**
   * Pushes an activity from the bot side to the seller: it is appended to the conversation's history, then sent
   * on the seller's open streams. Missing fields are filled in: `type` ('message'), `id`, `timestamp`, `channelId`,
   * `conversation`, `recipient` (the seller) and `from` (the bot, unless given, e.g.
   * `{ id: 'agent:<username>', name: '<display name>', role: 'bot' }`). Activities of type `trace` are refused.
   * @returns the id given to the activity.
   * @throws {ConversationNotFoundError} when the conversation does not exist.
   */
  deliver(conversationId: string, activity: Partial<Activity>): Promise<string>;

  /**
   * Runs a bot turn for an `event` activity `{ name, value }` from the seller's side of the conversation, as if the
   * channel had received it: same middleware, same bot, serialized with the conversation's other turns; the bot's
   * replies go to the seller. Resolves when the turn has finished (turn errors go to the app's onTurnError).
   * @throws {ConversationNotFoundError} when the conversation does not exist.
   */
  dispatchEvent(conversationId: string, name: string, value: unknown): Promise<void>;
}

/** A gateway call named a conversation the channel does not know. */
export class ConversationNotFoundError extends Error {
  readonly code = 'CONVERSATION_NOT_FOUND';
  constructor(readonly conversationId: string) {
    super(`conversation ${conversationId} does not exist`);
    this.name = 'ConversationNotFoundError';
  }
}
