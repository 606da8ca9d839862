import type { Activity, PagedResult } from 'botbuilder';
import { TRANSCRIPT_PAGE_SIZE } from './searchable-transcript-store.js';
import { StorageError } from './storage-error.js';

/**
 * Continuation tokens are opaque to callers: `<timestamp ms>.<sequence>` of the last item returned, so
 * the next page starts strictly after it in (timestamp, arrival) order even when timestamps tie.
 */
export interface ActivityCursor {
  readonly timestampMs: number;
  readonly seq: number;
}

export function encodeActivityCursor(cursor: ActivityCursor): string {
  return `${cursor.timestampMs}.${cursor.seq}`;
}

export function decodeActivityCursor(token: string, caller: string): ActivityCursor {
  const match = /^(-?\d{1,16})\.(\d{1,16})$/.exec(token);
  if (!match) throw new StorageError('STORAGE_BAD_ARGUMENT', `${caller}: invalid continuation token`);
  return { timestampMs: Number(match[1]), seq: Number(match[2]) };
}

/** Cursor of `listTranscripts`: creation time and conversation id of the last conversation returned. */
export interface TranscriptCursor {
  readonly createdMs: number;
  readonly conversationId: string;
}

export function encodeTranscriptCursor(cursor: TranscriptCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdMs, cursor.conversationId])).toString('base64url');
}

export function decodeTranscriptCursor(token: string, caller: string): TranscriptCursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && typeof parsed[0] === 'number' && typeof parsed[1] === 'string') {
      return { createdMs: parsed[0], conversationId: parsed[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw new StorageError('STORAGE_BAD_ARGUMENT', `${caller}: invalid continuation token`);
}

/** Milliseconds of an activity's timestamp (Date or ISO string after JSON); now when absent or invalid. */
export function activityTimeMs(activity: Partial<Activity>): number {
  const raw = activity.timestamp as Date | string | undefined;
  const ms = raw === undefined ? Number.NaN : new Date(raw).getTime();
  return Number.isFinite(ms) ? ms : Date.now();
}

/** Checks the fields every transcript store needs; names the caller in the error. */
export function assertLoggable(activity: Partial<Activity> | undefined, caller: string): asserts activity is Activity {
  if (!activity) throw new StorageError('STORAGE_BAD_ARGUMENT', `${caller}: activity cannot be null`);
  if (!activity.channelId) throw new StorageError('STORAGE_BAD_ARGUMENT', `${caller}: activity has no channelId`);
  if (!activity.conversation?.id) {
    throw new StorageError('STORAGE_BAD_ARGUMENT', `${caller}: activity has no conversation.id`);
  }
}

/** Restores the Date fields that JSON turned into strings. */
export function reviveActivity(json: string): Activity {
  const activity = JSON.parse(json) as Activity & { timestamp?: unknown; localTimestamp?: unknown };
  if (typeof activity.timestamp === 'string') activity.timestamp = new Date(activity.timestamp);
  if (typeof activity.localTimestamp === 'string') activity.localTimestamp = new Date(activity.localTimestamp);
  return activity;
}

export function requireIds(caller: string, channelId: string, conversationId?: string | null): void {
  if (!channelId) throw new StorageError('STORAGE_BAD_ARGUMENT', `${caller}: missing channelId`);
  if (conversationId !== undefined && !conversationId) {
    throw new StorageError('STORAGE_BAD_ARGUMENT', `${caller}: missing conversationId`);
  }
}

/**
 * A page of `items`: a full page ({@link TRANSCRIPT_PAGE_SIZE}) carries the token of its last item, a shorter one is
 * the last page.
 */
export function pageOf<Item, Row>(
  items: readonly Item[],
  toResult: (item: Item) => Row,
  tokenAfter: (last: Item) => string,
): PagedResult<Row> {
  const last = items.at(-1);
  return {
    items: items.map((item) => toResult(item)),
    // Typed as string by botbuilder, but undefined marks the last page there too.
    continuationToken:
      last && items.length === TRANSCRIPT_PAGE_SIZE ? tokenAfter(last) : (undefined as unknown as string),
  };
}

/** A checked request for a page of a conversation's activities. */
export interface ActivityPageRequest {
  /** Activities from this time on (`startDate`, else all). */
  readonly sinceMs: number;
  /** Strictly after this position when the caller gave a continuation token. */
  readonly after: ActivityCursor | undefined;
}

/** Checks the arguments of `getTranscriptActivities` and decodes its token; names the caller in the error. */
export function activityPageRequest(
  caller: string,
  channelId: string,
  conversationId: string,
  continuationToken?: string,
  startDate?: Date,
): ActivityPageRequest {
  requireIds(caller, channelId, conversationId);
  const sinceMs = startDate ? startDate.getTime() : Number.MIN_SAFE_INTEGER;
  return { sinceMs, after: continuationToken ? decodeActivityCursor(continuationToken, caller) : undefined };
}

/** Checks the arguments of `listTranscripts`; the position to list after when the caller gave a token. */
export function transcriptListAfter(caller: string, channelId: string, continuationToken?: string): TranscriptCursor | undefined {
  requireIds(caller, channelId);
  return continuationToken ? decodeTranscriptCursor(continuationToken, caller) : undefined;
}
