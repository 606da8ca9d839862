import type { Activity, PagedResult, TranscriptInfo } from 'botbuilder';
import {
  clampSearchLimit,
  searchTerms,
  TRANSCRIPT_PAGE_SIZE,
  type SearchableTranscriptStore,
  type TranscriptSearchHit,
} from './searchable-transcript-store.js';
import {
  activityTimeMs,
  assertLoggable,
  decodeActivityCursor,
  decodeTranscriptCursor,
  encodeActivityCursor,
  encodeTranscriptCursor,
  requireIds,
  reviveActivity,
} from './transcript-paging.js';

interface Entry {
  readonly seq: number;
  readonly timestampMs: number;
  readonly channelId: string;
  readonly conversationId: string;
  /** Serialized, so callers never share objects with the store (as with a real database). */
  readonly json: string;
  readonly activity: Activity;
}

interface Conversation {
  readonly createdMs: number;
  readonly entries: Entry[];
}

/**
 * In-memory SearchableTranscriptStore with the same paging and search rules as SqliteTranscriptStore
 * (STORAGE=memory and tests). Lost on exit.
 */
export class MemoryTranscriptStore implements SearchableTranscriptStore {
  private readonly conversations = new Map<string, Conversation>();
  /** Identities of logged activities that have an id, for idempotent logging. */
  private readonly identities = new Set<string>();
  private seq = 0;

  logActivity(activity: Activity): Promise<void> {
    assertLoggable(activity, 'MemoryTranscriptStore.logActivity()');
    if (activity.id) {
      const identity = identityOf(keyOf(activity.channelId, activity.conversation.id), activity);
      if (this.identities.has(identity)) return Promise.resolve();
      this.identities.add(identity);
    }
    const timestampMs = activityTimeMs(activity);
    const key = keyOf(activity.channelId, activity.conversation.id);
    let conversation = this.conversations.get(key);
    if (!conversation) {
      conversation = { createdMs: timestampMs, entries: [] };
      this.conversations.set(key, conversation);
    }
    const json = JSON.stringify({ ...activity, timestamp: new Date(timestampMs) });
    conversation.entries.push({
      seq: ++this.seq,
      timestampMs,
      channelId: activity.channelId,
      conversationId: activity.conversation.id,
      json,
      activity: reviveActivity(json),
    });
    return Promise.resolve();
  }

  async getTranscriptActivities(
    channelId: string,
    conversationId: string,
    continuationToken?: string,
    startDate?: Date,
  ): Promise<PagedResult<Activity>> {
    const caller = 'MemoryTranscriptStore.getTranscriptActivities()';
    requireIds(caller, channelId, conversationId);
    const cursor = continuationToken ? decodeActivityCursor(continuationToken, caller) : undefined;
    const since = startDate ? startDate.getTime() : Number.MIN_SAFE_INTEGER;
    const page = [...(this.conversations.get(keyOf(channelId, conversationId))?.entries ?? [])]
      .sort(byTimeThenSeq)
      .filter((entry) => entry.timestampMs >= since)
      .filter(
        (entry) =>
          !cursor ||
          entry.timestampMs > cursor.timestampMs ||
          (entry.timestampMs === cursor.timestampMs && entry.seq > cursor.seq),
      )
      .slice(0, TRANSCRIPT_PAGE_SIZE);
    const last = page.at(-1);
    return {
      items: page.map((entry) => reviveActivity(entry.json)),
      continuationToken:
        last && page.length === TRANSCRIPT_PAGE_SIZE
          ? encodeActivityCursor({ timestampMs: last.timestampMs, seq: last.seq })
          : (undefined as unknown as string),
    };
  }

  async listTranscripts(channelId: string, continuationToken?: string): Promise<PagedResult<TranscriptInfo>> {
    const caller = 'MemoryTranscriptStore.listTranscripts()';
    requireIds(caller, channelId);
    const cursor = continuationToken ? decodeTranscriptCursor(continuationToken, caller) : undefined;
    const page = [...this.conversations.values()]
      .filter((conversation) => conversation.entries[0]?.channelId === channelId)
      .map((conversation) => ({ id: conversation.entries[0]?.conversationId ?? '', createdMs: conversation.createdMs }))
      .sort((a, b) => a.createdMs - b.createdMs || compareText(a.id, b.id))
      .filter(
        (item) =>
          !cursor ||
          item.createdMs > cursor.createdMs ||
          (item.createdMs === cursor.createdMs && compareText(item.id, cursor.conversationId) > 0),
      )
      .slice(0, TRANSCRIPT_PAGE_SIZE);
    const last = page.at(-1);
    return {
      items: page.map((item) => ({ channelId, id: item.id, created: new Date(item.createdMs) })),
      continuationToken:
        last && page.length === TRANSCRIPT_PAGE_SIZE
          ? encodeTranscriptCursor({ createdMs: last.createdMs, conversationId: last.id })
          : (undefined as unknown as string),
    };
  }

  async deleteTranscript(channelId: string, conversationId: string): Promise<void> {
    requireIds('MemoryTranscriptStore.deleteTranscript()', channelId, conversationId);
    const key = keyOf(channelId, conversationId);
    for (const entry of this.conversations.get(key)?.entries ?? []) {
      if (entry.activity.id) this.identities.delete(identityOf(key, entry.activity));
    }
    this.conversations.delete(key);
  }

  async searchTranscripts(query: string, limit?: number): Promise<TranscriptSearchHit[]> {
    return this.matching(query)
      .slice(0, clampSearchLimit(limit))
      .map((entry) => ({
        channelId: entry.channelId,
        conversationId: entry.conversationId,
        activityId: entry.activity.id,
        timestamp: new Date(entry.timestampMs),
        type: entry.activity.type ?? 'unknown',
        fromRole: entry.activity.from?.role,
        text: entry.activity.text,
      }));
  }

  async searchConversations(text: string, limit: number): Promise<string[]> {
    const ids = new Set<string>();
    for (const entry of this.matching(text)) ids.add(entry.conversationId);
    return [...ids].slice(0, clampSearchLimit(limit));
  }

  /** Ids of conversations whose transcript holds an activity sent by `userId` (seller data export). */
  conversationsFrom(userId: string): string[] {
    const ids = new Set<string>();
    for (const conversation of this.conversations.values()) {
      for (const entry of conversation.entries) if (entry.activity.from?.id === userId) ids.add(entry.conversationId);
    }
    return [...ids];
  }

  /** Every stored activity of the conversation, on any channel, oldest first (as JSON objects). */
  activitiesOf(conversationId: string): unknown[] {
    return [...this.conversations.values()]
      .flatMap((conversation) => conversation.entries)
      .filter((entry) => entry.conversationId === conversationId)
      .sort(byTimeThenSeq)
      .map((entry) => JSON.parse(entry.json) as unknown);
  }

  /** Removes the conversation's transcript on every channel; returns how many lines it held. */
  eraseConversation(conversationId: string): number {
    let removed = 0;
    for (const [key, conversation] of this.conversations) {
      if (conversation.entries[0]?.conversationId !== conversationId) continue;
      removed += conversation.entries.length;
      this.forget(key, conversation.entries);
      this.conversations.delete(key);
    }
    return removed;
  }

  /** Retention: removes lines older than `cutoffMs` (and transcripts left empty); returns how many lines. */
  purgeBefore(cutoffMs: number): number {
    let removed = 0;
    for (const [key, conversation] of this.conversations) {
      const old = conversation.entries.filter((entry) => entry.timestampMs < cutoffMs);
      if (old.length === 0) continue;
      removed += old.length;
      this.forget(key, old);
      const kept = conversation.entries.filter((entry) => entry.timestampMs >= cutoffMs);
      conversation.entries.splice(0, conversation.entries.length, ...kept);
      if (kept.length === 0) this.conversations.delete(key);
    }
    return removed;
  }

  private forget(key: string, entries: readonly Entry[]): void {
    for (const entry of entries) if (entry.activity.id) this.identities.delete(identityOf(key, entry.activity));
  }

  /** Entries whose text holds every term, newest first. */
  private matching(query: string): Entry[] {
    const terms = searchTerms(query).map(foldCase);
    if (terms.length === 0) return [];
    const hits: Entry[] = [];
    for (const conversation of this.conversations.values()) {
      for (const entry of conversation.entries) {
        const text = entry.activity.text;
        if (typeof text !== 'string' || text.length === 0) continue;
        const folded = foldCase(text);
        if (terms.every((term) => folded.includes(term))) hits.push(entry);
      }
    }
    return hits.sort((a, b) => byTimeThenSeq(b, a));
  }
}

function keyOf(channelId: string, conversationId: string): string {
  return `${channelId}\u0000${conversationId}`;
}

/** Same identity as SqliteTranscriptStore's unique index: conversation, activity id, type. */
function identityOf(conversationKey: string, activity: Activity): string {
  return `${conversationKey}\u0000${activity.id ?? ''}\u0000${activity.type ?? 'unknown'}`;
}

function byTimeThenSeq(a: Entry, b: Entry): number {
  return a.timestampMs - b.timestampMs || a.seq - b.seq;
}

/** Binary order, like SQLite's default collation. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** SQLite's LIKE and the trigram tokenizer fold ASCII letters only. */
function foldCase(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}
