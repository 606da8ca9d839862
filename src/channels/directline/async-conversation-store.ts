import type { Activity } from 'botbuilder';
import type { StoredActivity, StoredConversation } from './conversation-store.js';

/** What the channel appends: an activity without its server id and timestamp, which the store gives it. */
export type NewActivity = Omit<Partial<Activity>, 'id' | 'timestamp'>;

/**
 * The Direct Line history as the channel uses it, whatever holds it (memory, SQLite, PostgreSQL). Every method
 * returns a Promise, and a write is durable when its promise resolves: durability is the implementation's business.
 *
 * Contract (tests/storage/async-conversation-store.contract.test.ts runs it over every implementation):
 * - `createConversation` on an existing id rejects; `getConversation` on an unknown id resolves `undefined`.
 * - `append` numbers the activities of one conversation 1, 2, 3, ... without gaps or repeats, even when several
 *   processes append at once; it gives each activity the id `<conversationId>|<watermark, 7 digits>` and a
 *   timestamp not before `nowMs` and strictly after the previous activity's (Web Chat orders by timestamp).
 *   A batch gets consecutive watermarks. An unknown conversation rejects (STORAGE_NOT_FOUND).
 * - `activitiesAfter(id, w)` gives the durable activities whose watermark is greater than `w`, in watermark order,
 *   at most `limit` (the oldest first); never one whose write has not resolved yet.
 * - `lastWatermark` is the highest durable watermark (0 without activities or for an unknown conversation).
 */
export interface AsyncConversationStore {
  /** Records a new conversation; rejects when the id exists. */
  createConversation(conversation: StoredConversation): Promise<void>;
  /** The conversation, or `undefined` when it does not exist. */
  getConversation(conversationId: string): Promise<StoredConversation | undefined>;
  /**
   * Appends a batch (in order) and resolves with the stored activities once durable.
   * @param fromSeller the batch is the seller's (its turn has still to run; see TurnLedger).
   * @param maxWaitingTurns stores which count the turns still to run refuse a seller batch when that many wait
   *   (STORAGE_BACKLOG_FULL), atomically across instances; stores without a turn ledger ignore it.
   */
  append(
    conversationId: string,
    activities: readonly NewActivity[],
    nowMs: number,
    fromSeller: boolean,
    maxWaitingTurns?: number,
  ): Promise<StoredActivity[]>;
  /** History after a watermark (0 for the whole history), oldest first, at most `limit` entries. */
  activitiesAfter(conversationId: string, watermark: number, limit?: number): Promise<StoredActivity[]>;
  /** The highest durable watermark of the conversation. */
  lastWatermark(conversationId: string): Promise<number>;
}

/** The server id of the activity at `watermark`: zero-padded, so ids sort like the history. */
export function activityIdAt(conversationId: string, watermark: number): string {
  return `${conversationId}|${String(watermark).padStart(7, '0')}`;
}
