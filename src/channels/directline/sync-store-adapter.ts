import type { Activity } from 'botbuilder';
import { activityIdAt, type AsyncConversationStore, type NewActivity } from './async-conversation-store.js';
import type { ConversationStore, StoredActivity, StoredConversation } from './conversation-store.js';

/** Appends of one conversation waiting for their commit. */
interface Pending {
  /** Lowest watermark not yet durable: reads stop before it. */
  readonly from: number;
  count: number;
}

/**
 * A synchronous store (memory, SQLite) behind {@link AsyncConversationStore}. Writes resolve after the store's own
 * `durable()`, so SQLite's group commit still batches the writes of one event-loop turn; reads stop before the first
 * activity whose commit is pending (the same connection would otherwise see it), so nobody is shown an activity that
 * a failed commit could still take back. This process is the only writer, so it numbers and stamps activities itself.
 */
export class SyncStoreAdapter implements AsyncConversationStore {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly store: ConversationStore) {}

  async createConversation(conversation: StoredConversation): Promise<void> {
    this.store.createConversation(conversation);
    await this.store.durable();
  }

  async getConversation(conversationId: string): Promise<StoredConversation | undefined> {
    return this.store.getConversation(conversationId);
  }

  async append(conversationId: string, activities: readonly NewActivity[], nowMs: number, _fromSeller: boolean): Promise<StoredActivity[]> {
    if (activities.length === 0) return [];
    let watermark = this.store.lastWatermark(conversationId);
    let timestamp = Math.max(nowMs, this.lastTimestamp(conversationId, watermark) + 1);
    const stored: StoredActivity[] = [];
    for (const activity of activities) {
      watermark += 1;
      const stamped: Partial<Activity> = { ...activity, id: activityIdAt(conversationId, watermark), timestamp: new Date(timestamp) };
      timestamp += 1;
      stored.push({ watermark: this.store.appendActivity(conversationId, stamped), activity: stamped });
    }
    const first = stored[0]!.watermark;
    const entry = this.pending.get(conversationId);
    if (entry) entry.count += 1;
    else this.pending.set(conversationId, { from: first, count: 1 });
    try {
      await this.store.durable();
    } finally {
      const current = this.pending.get(conversationId)!;
      current.count -= 1;
      if (current.count === 0) this.pending.delete(conversationId);
    }
    return stored;
  }

  async activitiesAfter(conversationId: string, watermark: number, limit?: number): Promise<StoredActivity[]> {
    const before = this.pending.get(conversationId)?.from;
    if (before === undefined) return this.store.activitiesAfter(conversationId, watermark, limit);
    const visible = Math.max(0, before - 1 - watermark);
    return visible === 0 ? [] : this.store.activitiesAfter(conversationId, watermark, Math.min(visible, limit ?? visible));
  }

  async lastWatermark(conversationId: string): Promise<number> {
    const before = this.pending.get(conversationId)?.from;
    const last = this.store.lastWatermark(conversationId);
    return before === undefined ? last : Math.min(last, before - 1);
  }

  /** The timestamp of the activity at `watermark` (0 when none): the next one must come after it. */
  private lastTimestamp(conversationId: string, watermark: number): number {
    if (watermark === 0) return 0;
    const last = this.store.activitiesAfter(conversationId, watermark - 1, 1)[0]?.activity.timestamp;
    const ms = last === undefined ? 0 : new Date(last).getTime();
    return Number.isFinite(ms) ? ms : 0;
  }
}
