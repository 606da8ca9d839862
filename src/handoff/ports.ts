import type { CaseSummary } from './case-summary.js';
import type { HandoffState } from './handoff-state.js';

/*
 * Repository ports of the handoff and the console. Implementations: in-memory (./in-memory.repositories.ts,
 * for tests and STORAGE=memory) and SQLite (src/storage/). Every method returns a Promise so that a
 * networked implementation (PostgreSQL) fits without changing callers. Timestamps are ISO-8601 UTC strings
 * (`Date#toISOString()`), so that they sort as text.
 */

/** One conversation as the console lists it. */
export interface ConversationRecord {
  readonly conversationId: string;
  /** Bot Framework channel id (`directline`, `emulator`, ...). */
  readonly channelId: string;
  /** Supported locale of the conversation (`zh-CN` or `en`). */
  readonly locale: string;
  /** Who answers now. `closed` conversations are finished. */
  readonly handoffState: HandoffState;
  /** Username of the staff member holding (state `agent`) or who last held the conversation; null if none ever did. */
  readonly assignedAgent: string | null;
  readonly createdAt: string;
  /** Last seller, bot or agent activity. */
  readonly lastActivityAt: string;
  /** When the current wait for a person began (state `queued`), else null. */
  readonly waitingSince: string | null;
  /** When a handoff was last requested (kept after it ends; drives the handoff rate). */
  readonly handoffRequestedAt: string | null;
  /** Case card of the last handoff request. */
  readonly caseSummary: CaseSummary | null;
  /** The seller's last message text (list preview); plain text, never HTML. */
  readonly lastSellerText: string | null;
  /** Opaque Bot Framework ConversationReference (JSON), used to reach the conversation proactively. */
  readonly reference: Readonly<Record<string, unknown>> | null;
}

/** Fields a caller may change on a conversation. */
export type ConversationPatch = Partial<Omit<ConversationRecord, 'conversationId' | 'createdAt'>>;

/** The fields a patch gives: a field set to `undefined` means "not given" (null is the value for "none"). */
export function definedFields(patch: ConversationPatch): ConversationPatch {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as ConversationPatch;
}

/** Filter for {@link ConversationIndex.list}. */
export interface ConversationQuery {
  /** Only these states (all when absent or empty). */
  readonly states?: readonly HandoffState[];
  /** Only these conversation ids (e.g. the hits of a transcript search). */
  readonly conversationIds?: readonly string[];
  /** Newest `lastActivityAt` first; at most this many (default 200). */
  readonly limit?: number;
}

/** The conversation index: status, locale, last activity, handoff state, assigned agent, case card. */
export interface ConversationIndex {
  get(conversationId: string): Promise<ConversationRecord | undefined>;
  /**
   * Applies `patch` atomically. With `expectedState`, applies it only when the stored handoff state equals it
   * (compare-and-set, so that two staff cannot both take a conversation over).
   * Returns the updated record, or undefined when the id is unknown or the expectation failed.
   */
  update(conversationId: string, patch: ConversationPatch, expectedState?: HandoffState): Promise<ConversationRecord | undefined>;
  /**
   * One write per observed activity: inserts `initial` when the id is new, then applies the patch that `patchFor`
   * computes from the stored (or just inserted) record. Returns the record as stored.
   */
  touch(initial: ConversationRecord, patchFor: (existing: ConversationRecord) => ConversationPatch): Promise<ConversationRecord>;
  list(query?: ConversationQuery): Promise<ConversationRecord[]>;
  /** Conversations created at or after `sinceIso` (dashboard: conversations per day, handoff rate). */
  listCreatedSince(sinceIso: string): Promise<ConversationRecord[]>;
}

/** Full-text search over transcripts, implemented by the transcript store. */
export interface TranscriptSearch {
  /** Ids of conversations whose transcript contains `text` (case-insensitive substring or FTS), newest first. */
  searchConversations(text: string, limit: number): Promise<string[]>;
}

/** One NLU result for one seller message, taken from the bot's `nlu.recognition` trace. */
export interface RecognitionRecord {
  readonly conversationId: string;
  /** Id of the seller activity the trace answers (`replyToId`). */
  readonly activityId: string;
  readonly text: string;
  /** Intent id; `none` when the bot did not understand. */
  readonly intent: string;
  readonly score: number;
  readonly ambiguous: boolean;
  readonly at: string;
}

/** Log of recognitions for the conversation view and the dashboard. */
export interface RecognitionLog {
  append(record: RecognitionRecord): Promise<void>;
  listByConversation(conversationId: string): Promise<RecognitionRecord[]>;
  /** Recognitions at or after `sinceIso`, newest first, at most `limit`. */
  listSince(sinceIso: string, limit: number): Promise<RecognitionRecord[]>;
  /** Latest recognitions with intent `none`, newest first. */
  latestNotUnderstood(limit: number): Promise<RecognitionRecord[]>;
}

export type CallbackStatus = 'open' | 'done';

/** A seller's request to be called back (no agent in time, or outside office hours). */
export interface CallbackRequest {
  readonly id: string;
  readonly conversationId: string;
  readonly name: string;
  readonly phone: string;
  readonly locale: string;
  readonly createdAt: string;
  readonly status: CallbackStatus;
  /** Username of the staff member who marked it done. */
  readonly handledBy: string | null;
}

export interface CallbackRepository {
  add(request: CallbackRequest): Promise<void>;
  /** Newest first. */
  list(options?: { readonly status?: CallbackStatus; readonly limit?: number }): Promise<CallbackRequest[]>;
  /** Returns the updated request, or undefined when the id is unknown. */
  setStatus(id: string, status: CallbackStatus, handledBy: string | null): Promise<CallbackRequest | undefined>;
}

/** A seller's 1-5 rating after a conversation with an agent. */
export interface Rating {
  readonly id: string;
  readonly conversationId: string;
  /** Integer 1..5. */
  readonly score: number;
  /** Username of the agent who last held the conversation, when known. */
  readonly agent: string | null;
  readonly createdAt: string;
}

export interface RatingRepository {
  add(rating: Rating): Promise<void>;
  /** Newest first. */
  list(options?: { readonly limit?: number }): Promise<Rating[]>;
}

/** Everything the handoff and the console persist; one object so the composition root passes one thing. */
export interface HandoffRepositories {
  readonly conversations: ConversationIndex;
  readonly recognitions: RecognitionLog;
  readonly callbacks: CallbackRepository;
  readonly ratings: RatingRepository;
  readonly transcriptSearch: TranscriptSearch;
}
