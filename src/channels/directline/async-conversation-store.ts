import type { Activity } from 'botbuilder';
import type { ConversationStore, StoredActivity, StoredConversation } from './conversation-store.js';

/**
 * The Direct Line history as a networked database can serve it: every method returns a Promise, and a write has
 * been made durable by the implementation when its promise resolves (no `durable()`/`commit()` for the caller to
 * remember). Same contract as {@link ConversationStore} otherwise; in addition, `appendActivity` numbers the
 * activities of one conversation without gaps or repeats even when several processes append at once.
 *
 * Not yet used by DirectLineChannel, which reads history and subscribes a stream in one tick of the synchronous
 * store; moving it over is the channel refactoring of issue 12.
 */
export interface AsyncConversationStore {
  /** Records a new conversation; rejects when the id exists. */
  createConversation(conversation: StoredConversation): Promise<void>;
  /** The conversation, or `undefined` when it does not exist. */
  getConversation(conversationId: string): Promise<StoredConversation | undefined>;
  /** Appends an activity and resolves with its watermark once it is durable; rejects for an unknown conversation. */
  appendActivity(conversationId: string, activity: Partial<Activity>): Promise<number>;
  /** History after a watermark (0 for the whole history), oldest first, at most `limit` entries. */
  activitiesAfter(conversationId: string, watermark: number, limit?: number): Promise<StoredActivity[]>;
  /** The highest watermark of the conversation (0 when it has no activity yet or does not exist). */
  lastWatermark(conversationId: string): Promise<number>;
}

/**
 * A synchronous store (memory, SQLite) behind the asynchronous interface: each write resolves after the store's
 * own `durable()`, so SQLite's group commit still batches the writes of one event-loop turn.
 */
export function toAsyncConversationStore(store: ConversationStore): AsyncConversationStore {
  return {
    createConversation: async (conversation) => {
      store.createConversation(conversation);
      await store.durable();
    },
    getConversation: async (conversationId) => store.getConversation(conversationId),
    appendActivity: async (conversationId, activity) => {
      const watermark = store.appendActivity(conversationId, activity);
      await store.durable();
      return watermark;
    },
    activitiesAfter: async (conversationId, watermark, limit) => store.activitiesAfter(conversationId, watermark, limit),
    lastWatermark: async (conversationId) => store.lastWatermark(conversationId),
  };
}
