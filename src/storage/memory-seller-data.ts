import type { MemoryConversationStore } from '../channels/directline/memory-conversation-store.js';
import type { InMemoryHandoffRepositories } from '../handoff/in-memory.repositories.js';
import {
  addCounts,
  NO_COUNTS,
  type ConversationData,
  type SellerDataCounts,
  type SellerDataExport,
  type SellerDataStore,
  type SellerSelector,
} from '../privacy/seller-data.js';
import type { MemoryTranscriptStore } from './memory-transcript.store.js';

/** The stores a {@link MemorySellerData} reaches into (STORAGE=memory). */
export interface MemorySellerDataStores {
  readonly transcripts: MemoryTranscriptStore;
  readonly conversations: MemoryConversationStore;
  readonly handoff: InMemoryHandoffRepositories;
  /** The object botbuilder's MemoryStorage keeps its items in (key to JSON text). */
  readonly state: Record<string, string>;
}

const isConversationKey = (key: string, id: string): boolean => key.includes(`/conversations/${id}/`);
const isUserKey = (key: string, id: string): boolean => key.includes(`/users/${id}/`);

/** {@link SellerDataStore} over the in-memory stores, with the same rules as SqliteSellerData. */
export class MemorySellerData implements SellerDataStore {
  constructor(private readonly stores: MemorySellerDataStores) {}

  async export(selector: SellerSelector): Promise<SellerDataExport> {
    const conversations = (await this.conversationIds(selector)).map((id) => this.conversationData(id));
    const userState = 'userId' in selector ? this.stateWhere((key) => isUserKey(key, selector.userId)) : {};
    const data = await Promise.all(conversations);
    return { selector, exportedAt: new Date().toISOString(), conversations: data, userState };
  }

  async erase(selector: SellerSelector): Promise<SellerDataCounts> {
    let total = NO_COUNTS;
    for (const id of await this.conversationIds(selector)) total = addCounts(total, this.eraseConversation(id));
    if ('userId' in selector) {
      total = addCounts(total, { ...NO_COUNTS, stateItems: this.deleteState((key) => isUserKey(key, selector.userId)) });
    }
    return total;
  }

  async purgeOlderThan(cutoff: Date): Promise<SellerDataCounts> {
    const iso = cutoff.toISOString();
    const { transcripts, conversations, handoff } = this.stores;
    const indexed = new Set((await handoff.conversations.list({ limit: Number.MAX_SAFE_INTEGER })).map((r) => r.conversationId));
    const idle = new Set([
      ...handoff.conversations.idleSince(iso),
      ...conversations.createdBefore(iso).filter((id) => !indexed.has(id)),
    ]);
    const users = new Set([...idle].map((id) => conversations.getConversation(id)?.userId).filter((u) => u !== undefined));
    let total = NO_COUNTS;
    for (const id of idle) total = addCounts(total, this.eraseConversation(id));
    // Memory keeps no write time per state item (SQLite does): user state goes with its user's last conversation.
    let stateItems = 0;
    for (const user of users) {
      if (conversations.conversationsOfUser(user).length === 0) stateItems += this.deleteState((key) => isUserKey(key, user));
    }
    return addCounts(total, {
      ...NO_COUNTS,
      transcriptLines: transcripts.purgeBefore(cutoff.getTime()),
      recognitions: handoff.recognitions.removeWhere((r) => r.at < iso),
      callbacks: handoff.callbacks.removeWhere((r) => r.createdAt < iso),
      ratings: handoff.ratings.removeWhere((r) => r.createdAt < iso),
      stateItems,
    });
  }

  private async conversationIds(selector: SellerSelector): Promise<string[]> {
    const { transcripts, conversations, handoff } = this.stores;
    if ('conversationId' in selector) {
      const id = selector.conversationId;
      const known =
        conversations.getConversation(id) !== undefined ||
        (await handoff.conversations.get(id)) !== undefined ||
        transcripts.activitiesOf(id).length > 0;
      return known ? [id] : [];
    }
    return [...new Set([...conversations.conversationsOfUser(selector.userId), ...transcripts.conversationsFrom(selector.userId)])].sort();
  }

  private async conversationData(id: string): Promise<ConversationData> {
    const { transcripts, conversations, handoff } = this.stores;
    const dl = conversations.getConversation(id);
    const record = await handoff.conversations.get(id);
    const [recognitions, callbacks, ratings] = await Promise.all([
      handoff.recognitions.listByConversation(id),
      handoff.callbacks.list({ limit: Number.MAX_SAFE_INTEGER }),
      handoff.ratings.list({ limit: Number.MAX_SAFE_INTEGER }),
    ]);
    return {
      conversationId: id,
      directLine: dl ? { userId: dl.userId, locale: dl.locale, createdAt: dl.createdAt } : null,
      handoff: record ? { ...record } : null,
      transcript: transcripts.activitiesOf(id),
      history: conversations.activitiesAfter(id, 0).map((stored) => JSON.parse(JSON.stringify(stored.activity)) as unknown),
      recognitions: recognitions.map(({ conversationId: _c, ...rest }) => rest),
      callbacks: callbacks.filter((c) => c.conversationId === id).reverse().map((c) => ({ ...c })),
      ratings: ratings.filter((r) => r.conversationId === id).reverse().map((r) => ({ ...r })),
      state: this.stateWhere((key) => isConversationKey(key, id)),
    };
  }

  private eraseConversation(id: string): SellerDataCounts {
    const { transcripts, conversations, handoff } = this.stores;
    const transcriptLines = transcripts.eraseConversation(id);
    const historyActivities = conversations.deleteConversation(id);
    const handoffRecords = handoff.conversations.delete(id) ? 1 : 0;
    return {
      conversations: historyActivities !== undefined || handoffRecords > 0 || transcriptLines > 0 ? 1 : 0,
      transcriptLines,
      historyActivities: historyActivities ?? 0,
      recognitions: handoff.recognitions.removeWhere((r) => r.conversationId === id),
      callbacks: handoff.callbacks.removeWhere((r) => r.conversationId === id),
      ratings: handoff.ratings.removeWhere((r) => r.conversationId === id),
      handoffRecords,
      stateItems: this.deleteState((key) => isConversationKey(key, id)),
    };
  }

  private stateWhere(select: (key: string) => boolean): Record<string, unknown> {
    const items = Object.entries(this.stores.state).filter(([key]) => select(key));
    return Object.fromEntries(items.map(([key, value]) => [key, JSON.parse(value) as unknown]));
  }

  private deleteState(select: (key: string) => boolean): number {
    const keys = Object.keys(this.stores.state).filter(select);
    for (const key of keys) delete this.stores.state[key];
    return keys.length;
  }
}
