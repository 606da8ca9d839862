import type { TranscriptStore } from 'botbuilder';
import type { TranscriptSearch } from '../handoff/ports.js';

/** One transcript activity whose text matched a search. */
export interface TranscriptSearchHit {
  readonly channelId: string;
  readonly conversationId: string;
  /** The activity's id, when it had one. */
  readonly activityId: string | undefined;
  readonly timestamp: Date;
  /** Activity type (`message`, `event`, ...). */
  readonly type: string;
  /** `user`, `bot` or whatever role the sender carried. */
  readonly fromRole: string | undefined;
  readonly text: string;
}

/**
 * botbuilder's TranscriptStore plus full-text search over activity text, for the staff console
 * (`searchConversations` is the console's {@link TranscriptSearch} port).
 * Unlike botbuilder's stores, logging an activity whose id and type are already recorded in that
 * conversation is a no-op, so retried writes and replayed turns never duplicate a transcript line.
 */
export interface SearchableTranscriptStore extends TranscriptStore, TranscriptSearch {
  /**
   * Activities whose text contains every whitespace-separated term of `query` (case-insensitive for
   * Latin letters, any substring for Chinese), newest first, at most `limit` (1..200, default 50).
   */
  searchTranscripts(query: string, limit?: number): Promise<TranscriptSearchHit[]>;
}

/** Page size of `getTranscriptActivities` and `listTranscripts`, as in botbuilder's MemoryTranscriptStore. */
export const TRANSCRIPT_PAGE_SIZE = 20;

/** Default and ceiling of `searchTranscripts`'s limit. */
export const SEARCH_DEFAULT_LIMIT = 50;
export const SEARCH_MAX_LIMIT = 200;

/** Splits a console search into terms (control characters act as spaces); empty when there is nothing to look for. */
export function searchTerms(query: string): string[] {
  return query
    .replace(/[\u0000-\u001f\u007f]/gu, ' ')
    .split(/\s+/u)
    .filter((term) => term.length > 0)
    .slice(0, 8);
}

/** Clamps a caller's limit into 1..SEARCH_MAX_LIMIT. */
export function clampSearchLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return SEARCH_DEFAULT_LIMIT;
  return Math.min(SEARCH_MAX_LIMIT, Math.max(1, Math.trunc(limit)));
}
