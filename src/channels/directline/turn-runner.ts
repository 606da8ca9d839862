import type { Activity } from 'botbuilder';
import type { StoredActivity } from './conversation-store.js';

/** Runs one bot turn for an activity (the channel's adapter, middleware and bot). */
export type RunTurn = (activity: Partial<Activity>, turnState?: ReadonlyMap<symbol, unknown>) => Promise<void>;

/**
 * Decides where and when the bot turns of a conversation run: one at a time, in history order. One process runs
 * them in a queue ({@link LocalTurnRunner}); several instances on one database take a lease per conversation
 * (LeasedTurnRunner).
 */
export interface TurnRunner {
  /** A seller activity is stored and acknowledged: its turn runs after every earlier turn of the conversation. */
  sellerActivityStored(conversationId: string, stored: StoredActivity): void;
  /** A turn for an activity that is not in the history (the welcome, server events), in the conversation's order. */
  run(conversationId: string, activity: Partial<Activity>, turnState?: ReadonlyMap<symbol, unknown>): Promise<void>;
  /** Turns queued or running in this process for the conversation (flood limit). */
  pending(conversationId: string): number;
  /** Stops taking work and waits for the turns under way. */
  close(): Promise<void>;
}
