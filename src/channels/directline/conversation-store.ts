import type { Activity } from 'botbuilder';

/** A Direct Line conversation as the channel persists it. */
export interface StoredConversation {
  /** Conversation id (opaque, URL-safe). */
  readonly id: string;
  /** The seller's user id (from the token's `user` claim), stable across page reloads. */
  readonly userId: string;
  /** BCP-47 locale the conversation started with (the bot reads each activity's own `locale`). */
  readonly locale: string;
  /** ISO 8601 creation time. */
  readonly createdAt: string;
}

/** One activity of a conversation's history with its position. */
export interface StoredActivity {
  /** Position in the conversation, 1-based and strictly increasing; sent to clients as a string. */
  readonly watermark: number;
  /** The activity exactly as pushed to the client (server `id`, ISO `timestamp`, `from.role`, `channelData`). */
  readonly activity: Partial<Activity>;
}

/**
 * Durable state of the Direct Line channel: conversations and their ordered activity history.
 *
 * The interface is synchronous on purpose: the channel reads history and subscribes a WebSocket in one tick,
 * so that no activity can slip between the replay and the live stream. Implementations: in memory
 * ({@link MemoryConversationStore}) and SQLite (better-sqlite3, in src/storage/).
 *
 * Contract (a shared test suite can check it):
 * - `createConversation` on an existing id throws; `getConversation` on an unknown id returns `undefined`.
 * - `appendActivity` on an unknown conversation throws; otherwise it stores a copy and returns the new watermark,
 *   which is the previous highest watermark of that conversation plus one (the first is 1).
 * - `activitiesAfter(id, w)` returns the activities whose watermark is greater than `w`, in watermark order,
 *   at most `limit` of them (the oldest first); an unknown conversation gives `[]`.
 * - `lastWatermark` is 0 for a conversation without activities.
 * - Reads see every write made before them; a write is on disk only once a later `durable()` has resolved or
 *   `commit()` has returned (SQLite commits the writes of one event-loop turn together), so the channel waits for
 *   one of them before it acknowledges or shows anything it wrote.
 */
export interface ConversationStore {
  /** Records a new conversation. */
  createConversation(conversation: StoredConversation): void;
  /** The conversation, or `undefined` when it does not exist. */
  getConversation(conversationId: string): StoredConversation | undefined;
  /** Appends an activity to the history and returns its watermark. */
  appendActivity(conversationId: string, activity: Partial<Activity>): number;
  /** History after a watermark (0 for the whole history), oldest first, at most `limit` entries. */
  activitiesAfter(conversationId: string, watermark: number, limit?: number): StoredActivity[];
  /** The highest watermark of the conversation (0 when it has no activity yet or does not exist). */
  lastWatermark(conversationId: string): number;
  /** Resolves once every write made so far is durable; rejects when they could not be saved. */
  durable(): Promise<void>;
  /** Makes every write made so far durable now (for an answer that cannot wait); throws when they could not be saved. */
  commit(): void;
}
