import type { Activity } from 'botbuilder';
import type { ConversationStore, StoredActivity, StoredConversation } from './conversation-store.js';

interface Entry {
  readonly conversation: StoredConversation;
  /** JSON text, as SQLite keeps it: what is read back is a fresh object (dates as ISO strings) every time. */
  readonly activities: string[];
}

/**
 * {@link ConversationStore} in process memory: lost on exit; for tests, benchmarks and `STORAGE=memory`. It hands
 * out copies and keeps activities as JSON, like the SQLite store, so that both behave the same for their callers.
 */
export class MemoryConversationStore implements ConversationStore {
  private readonly conversations = new Map<string, Entry>();

  createConversation(conversation: StoredConversation): void {
    if (this.conversations.has(conversation.id)) {
      throw new Error(`createConversation(): conversation ${conversation.id} already exists`);
    }
    this.conversations.set(conversation.id, { conversation: { ...conversation }, activities: [] });
  }

  getConversation(conversationId: string): StoredConversation | undefined {
    const conversation = this.conversations.get(conversationId)?.conversation;
    return conversation ? { ...conversation } : undefined;
  }

  appendActivity(conversationId: string, activity: Partial<Activity>): number {
    const entry = this.conversations.get(conversationId);
    if (!entry) throw new Error(`appendActivity(): unknown conversation ${conversationId}`);
    entry.activities.push(JSON.stringify(activity));
    return entry.activities.length;
  }

  activitiesAfter(conversationId: string, watermark: number, limit = Number.MAX_SAFE_INTEGER): StoredActivity[] {
    const entry = this.conversations.get(conversationId);
    if (!entry) return [];
    const start = Math.max(0, Math.floor(watermark));
    const end = Math.min(entry.activities.length, start + Math.max(0, limit));
    const result: StoredActivity[] = [];
    for (let i = start; i < end; i++) result.push({ watermark: i + 1, activity: JSON.parse(entry.activities[i]!) as Partial<Activity> });
    return result;
  }

  lastWatermark(conversationId: string): number {
    return this.conversations.get(conversationId)?.activities.length ?? 0;
  }

  /** Ids of the conversations of `userId` (seller data export and erasure). */
  conversationsOfUser(userId: string): string[] {
    return [...this.conversations.values()].filter((e) => e.conversation.userId === userId).map((e) => e.conversation.id);
  }

  /** Ids of the conversations created before `cutoffIso` (retention). */
  createdBefore(cutoffIso: string): string[] {
    return [...this.conversations.values()].filter((e) => e.conversation.createdAt < cutoffIso).map((e) => e.conversation.id);
  }

  /** Removes a conversation and its history; returns how many activities it held, or undefined when unknown. */
  deleteConversation(conversationId: string): number | undefined {
    const entry = this.conversations.get(conversationId);
    if (!entry) return undefined;
    this.conversations.delete(conversationId);
    return entry.activities.length;
  }

  /** Nothing to commit: memory is as durable as it gets. */
  commit(): void {}

  /** Nothing to wait for: memory is as durable as it gets. */
  durable(): Promise<void> {
    return Promise.resolve();
  }
}
