import type { Activity, PagedResult, TranscriptInfo } from 'botbuilder';
import type { TranscriptSearchHit } from '../searchable-transcript-store.js';
import { activityTimeMs, encodeActivityCursor, encodeTranscriptCursor, pageOf, reviveActivity } from '../transcript-paging.js';
import type { RowWriting } from './row-writing.js';

/** An integer column: a number from SQLite, a string from node-postgres for int8 (our values stay below 2^53). */
export type IntegerColumn = number | string;

/** A row of `transcript_activities` as written (SQLite and PostgreSQL). */
export interface TranscriptActivityRow {
  channel_id: string;
  conversation_id: string;
  activity_id: string | null;
  timestamp_ms: number;
  type: string;
  from_role: string | null;
  from_id: string | null;
  text: string | null;
  json: string;
}

/** The columns an insert gives, in the order of {@link transcriptActivityValues}. */
export const TRANSCRIPT_ACTIVITY_COLUMNS: readonly (keyof TranscriptActivityRow)[] = [
  'channel_id',
  'conversation_id',
  'activity_id',
  'timestamp_ms',
  'type',
  'from_role',
  'from_id',
  'text',
  'json',
];

/**
 * The activity as a row: its timestamp (now when it has none) is stored with it, and `text` is set only for
 * non-empty text, so that search sees only lines someone wrote.
 */
export function toTranscriptActivityRow(activity: Activity, writing: RowWriting): TranscriptActivityRow {
  const timestampMs = activityTimeMs(activity);
  const stored = { ...activity, timestamp: new Date(timestampMs) };
  return {
    channel_id: activity.channelId,
    conversation_id: activity.conversation.id,
    activity_id: activity.id ?? null,
    timestamp_ms: timestampMs,
    type: activity.type ?? 'unknown',
    from_role: activity.from?.role ?? null,
    from_id: activity.from?.id ?? null,
    text: typeof activity.text === 'string' && activity.text.length > 0 ? writing.text(activity.text) : null,
    json: JSON.stringify(stored),
  };
}

/** The row's values in {@link TRANSCRIPT_ACTIVITY_COLUMNS} order, for positional parameters. */
export function transcriptActivityValues(row: TranscriptActivityRow): unknown[] {
  return TRANSCRIPT_ACTIVITY_COLUMNS.map((column) => row[column]);
}

/** What a page of a conversation's activities reads. */
export interface ActivityPageRow {
  seq: IntegerColumn;
  timestamp_ms: IntegerColumn;
  json: string;
}

/** A page of activities; its token points after the last row when the page is full. */
export function activityPage(rows: readonly ActivityPageRow[]): PagedResult<Activity> {
  return pageOf(
    rows,
    (row) => reviveActivity(row.json),
    (last) => encodeActivityCursor({ timestampMs: Number(last.timestamp_ms), seq: Number(last.seq) }),
  );
}

/** What a page of a channel's transcripts reads from `transcripts`. */
export interface TranscriptListRow {
  conversation_id: string;
  created_ms: IntegerColumn;
}

/** A page of the channel's transcripts; its token points after the last row when the page is full. */
export function transcriptPage(channelId: string, rows: readonly TranscriptListRow[]): PagedResult<TranscriptInfo> {
  return pageOf(
    rows,
    (row) => ({ channelId, id: row.conversation_id, created: new Date(Number(row.created_ms)) }),
    (last) => encodeTranscriptCursor({ createdMs: Number(last.created_ms), conversationId: last.conversation_id }),
  );
}

/** What a transcript search reads for each hit. */
export interface SearchHitRow {
  channel_id: string;
  conversation_id: string;
  activity_id: string | null;
  timestamp_ms: IntegerColumn;
  type: string;
  from_role: string | null;
  text: string;
}

export function toSearchHit(row: SearchHitRow): TranscriptSearchHit {
  return {
    channelId: row.channel_id,
    conversationId: row.conversation_id,
    activityId: row.activity_id ?? undefined,
    timestamp: new Date(Number(row.timestamp_ms)),
    type: row.type,
    fromRole: row.from_role ?? undefined,
    text: row.text,
  };
}
