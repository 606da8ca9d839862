import type {
  CallbackRepository,
  CallbackRequest,
  CallbackStatus,
  ConversationIndex,
  ConversationPatch,
  ConversationQuery,
  ConversationRecord,
  HandoffRepositories,
  Rating,
  RatingRepository,
  RecognitionLog,
  RecognitionRecord,
  TranscriptSearch,
} from './ports.js';
import { definedFields } from './ports.js';
import type { HandoffState } from './handoff-state.js';

const DEFAULT_LIMIT = 200;
/**
 * Records go in and come out as copies, as from a database: a caller that changes a record it was given (or gave)
 * must not change what is stored, or the in-memory backend would behave differently from SQLite.
 */
const copy = <T>(value: T): T => structuredClone(value);
const newestFirst = <T>(key: (item: T) => string) => (a: T, b: T): number => key(b).localeCompare(key(a));

/** In-memory {@link ConversationIndex} (tests, STORAGE=memory). */
export class InMemoryConversationIndex implements ConversationIndex {
  private readonly records = new Map<string, ConversationRecord>();

  async get(conversationId: string): Promise<ConversationRecord | undefined> {
    const record = this.records.get(conversationId);
    return record ? copy(record) : undefined;
  }

  async update(conversationId: string, patch: ConversationPatch, expectedState?: HandoffState): Promise<ConversationRecord | undefined> {
    const existing = this.records.get(conversationId);
    if (!existing) return undefined;
    if (expectedState !== undefined && existing.handoffState !== expectedState) return undefined;
    const updated: ConversationRecord = copy({ ...existing, ...definedFields(patch), conversationId, createdAt: existing.createdAt });
    this.records.set(conversationId, updated);
    return copy(updated);
  }

  async touch(initial: ConversationRecord, patchFor: (existing: ConversationRecord) => ConversationPatch): Promise<ConversationRecord> {
    const existing = this.records.get(initial.conversationId) ?? initial;
    const updated: ConversationRecord = copy({ ...existing, ...definedFields(patchFor(copy(existing))) });
    this.records.set(initial.conversationId, updated);
    return copy(updated);
  }

  async list(query: ConversationQuery = {}): Promise<ConversationRecord[]> {
    const states = query.states && query.states.length > 0 ? new Set(query.states) : undefined;
    const ids = query.conversationIds ? new Set(query.conversationIds) : undefined;
    return [...this.records.values()]
      .filter((r) => (!states || states.has(r.handoffState)) && (!ids || ids.has(r.conversationId)))
      .sort(newestFirst((r) => r.lastActivityAt))
      .slice(0, query.limit ?? DEFAULT_LIMIT)
      .map(copy);
  }

  async listCreatedSince(sinceIso: string): Promise<ConversationRecord[]> {
    return [...this.records.values()].filter((r) => r.createdAt >= sinceIso).sort(newestFirst((r) => r.createdAt)).map(copy);
  }

  /** Ids of conversations without activity since `cutoffIso` (retention). */
  idleSince(cutoffIso: string): string[] {
    return [...this.records.values()].filter((r) => r.lastActivityAt < cutoffIso).map((r) => r.conversationId);
  }

  /** Removes the record; returns whether there was one. */
  delete(conversationId: string): boolean {
    return this.records.delete(conversationId);
  }
}

/** In-memory {@link RecognitionLog}. */
export class InMemoryRecognitionLog implements RecognitionLog {
  private readonly records: RecognitionRecord[] = [];

  async append(record: RecognitionRecord): Promise<void> {
    this.records.push(copy(record));
  }

  async listByConversation(conversationId: string): Promise<RecognitionRecord[]> {
    return this.records.filter((r) => r.conversationId === conversationId).map(copy);
  }

  async listSince(sinceIso: string, limit: number): Promise<RecognitionRecord[]> {
    return this.records.filter((r) => r.at >= sinceIso).sort(newestFirst((r) => r.at)).slice(0, limit).map(copy);
  }

  async latestNotUnderstood(limit: number): Promise<RecognitionRecord[]> {
    return this.records.filter((r) => r.intent === 'none').sort(newestFirst((r) => r.at)).slice(0, limit).map(copy);
  }

  /** Removes the records `drop` selects; returns how many. */
  removeWhere(drop: (record: RecognitionRecord) => boolean): number {
    return removeFromArray(this.records, drop);
  }

  /** Seller texts, for the in-memory transcript search. */
  all(): readonly RecognitionRecord[] {
    return this.records;
  }
}

/** In-memory {@link CallbackRepository}. */
export class InMemoryCallbackRepository implements CallbackRepository {
  private readonly requests = new Map<string, CallbackRequest>();

  async add(request: CallbackRequest): Promise<void> {
    this.requests.set(request.id, copy(request));
  }

  async list(options: { readonly status?: CallbackStatus; readonly limit?: number } = {}): Promise<CallbackRequest[]> {
    return [...this.requests.values()]
      .filter((r) => options.status === undefined || r.status === options.status)
      .sort(newestFirst((r) => r.createdAt))
      .slice(0, options.limit ?? DEFAULT_LIMIT)
      .map(copy);
  }

  /** Removes the requests `drop` selects; returns how many. */
  removeWhere(drop: (request: CallbackRequest) => boolean): number {
    const ids = [...this.requests.values()].filter(drop).map((r) => r.id);
    for (const id of ids) this.requests.delete(id);
    return ids.length;
  }

  async setStatus(id: string, status: CallbackStatus, handledBy: string | null): Promise<CallbackRequest | undefined> {
    const existing = this.requests.get(id);
    if (!existing) return undefined;
    const updated = { ...existing, status, handledBy };
    this.requests.set(id, updated);
    return copy(updated);
  }
}

/** In-memory {@link RatingRepository}. */
export class InMemoryRatingRepository implements RatingRepository {
  private readonly ratings: Rating[] = [];

  async add(rating: Rating): Promise<void> {
    this.ratings.push(copy(rating));
  }

  /** Removes the ratings `drop` selects; returns how many. */
  removeWhere(drop: (rating: Rating) => boolean): number {
    return removeFromArray(this.ratings, drop);
  }

  async list(options: { readonly limit?: number } = {}): Promise<Rating[]> {
    return [...this.ratings].sort(newestFirst((r) => r.createdAt)).slice(0, options.limit ?? DEFAULT_LIMIT).map(copy);
  }
}

/**
 * Transcript search without a transcript database: matches the seller messages in the recognition log.
 * Good enough for STORAGE=memory; the SQLite transcript store searches every activity.
 */
export class InMemoryTranscriptSearch implements TranscriptSearch {
  constructor(private readonly recognitions: InMemoryRecognitionLog) {}

  async searchConversations(text: string, limit: number): Promise<string[]> {
    const needle = text.toLowerCase();
    const ids: string[] = [];
    for (const r of [...this.recognitions.all()].reverse()) {
      if (r.text.toLowerCase().includes(needle) && !ids.includes(r.conversationId)) ids.push(r.conversationId);
      if (ids.length >= limit) break;
    }
    return ids;
  }
}

/** Removes in place the items `drop` selects; returns how many. */
function removeFromArray<T>(items: T[], drop: (item: T) => boolean): number {
  const kept = items.filter((item) => !drop(item));
  const removed = items.length - kept.length;
  items.splice(0, items.length, ...kept);
  return removed;
}

/** The in-memory repositories by class, for the memory stores' seller-data erasure and retention. */
export interface InMemoryHandoffRepositories extends HandoffRepositories {
  readonly conversations: InMemoryConversationIndex;
  readonly recognitions: InMemoryRecognitionLog;
  readonly callbacks: InMemoryCallbackRepository;
  readonly ratings: InMemoryRatingRepository;
}

/** A fresh set of in-memory handoff repositories. */
export function createInMemoryHandoffRepositories(): InMemoryHandoffRepositories {
  const recognitions = new InMemoryRecognitionLog();
  return {
    conversations: new InMemoryConversationIndex(),
    recognitions,
    callbacks: new InMemoryCallbackRepository(),
    ratings: new InMemoryRatingRepository(),
    transcriptSearch: new InMemoryTranscriptSearch(recognitions),
  };
}

