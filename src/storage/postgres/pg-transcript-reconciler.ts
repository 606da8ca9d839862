import type { Activity } from 'botbuilder';
import type pg from 'pg';
import { activityIdAt } from '../../channels/directline/async-conversation-store.js';
import type { ReconcileReport, UnansweredActivity } from '../directline-transcript-reconciler.js';
import type { Logger } from '../../logger.js';
import type { PgTranscriptStore } from './pg-transcript.store.js';

/** History entries checked against the transcript per query (four text arrays of this length). */
const CHUNK = 2000;

interface HistoryEntry {
  readonly conversationId: string;
  readonly activity: Partial<Activity>;
}

/**
 * reconcileDirectLineTranscripts for STORAGE=postgres: the history rows keep their activity as JSON text, which a
 * malformed row must not stop, so the history is read here and checked against the transcript in chunks, instead of
 * one join. Same result: missing entries are logged (idempotent by activity id), and the seller activities among
 * them are reported as never answered (several instances need no replay of them: the turn ledger knows). It reads
 * the whole history at start, as the SQLite join does.
 */
export async function reconcilePgTranscripts(pool: pg.Pool, transcripts: PgTranscriptStore, logger?: Logger): Promise<ReconcileReport> {
  const { rows } = await pool.query<{ conversation_id: string; watermark: string; timestamp_ms: string | null; json: string }>(
    'SELECT conversation_id, watermark, timestamp_ms, json FROM directline_activities ORDER BY conversation_id, watermark',
  );
  const entries: HistoryEntry[] = [];
  for (const row of rows) {
    const activity = parseActivity(row.json);
    if (activity && row.timestamp_ms !== null) {
      // Since migration 3 the id and timestamp live in columns (see PgConversationStore).
      activity.id = activityIdAt(row.conversation_id, Number(row.watermark));
      activity.timestamp = new Date(Number(row.timestamp_ms));
    }
    if (!activity) {
      // As on SQLite: a row that cannot be read must not stop the start-up.
      logger?.warn(
        { conversationId: row.conversation_id, watermark: row.watermark },
        'reconcilePgTranscripts(): skipped a Direct Line history row that is not readable JSON',
      );
      continue;
    }
    // Only an entry with an id can be matched; the channel gives every activity one.
    if (typeof activity.id === 'string') entries.push({ conversationId: row.conversation_id, activity });
  }
  const missing: HistoryEntry[] = [];
  for (let start = 0; start < entries.length; start += CHUNK) {
    const chunk = entries.slice(start, start + CHUNK);
    const { rows } = await pool.query<{ i: string }>(
      `SELECT k.i FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY
         AS k(channel_id, conversation_id, activity_id, type, i)
       WHERE NOT EXISTS (
         SELECT 1 FROM transcript_activities t
         WHERE t.channel_id = k.channel_id AND t.conversation_id = k.conversation_id
           AND t.activity_id = k.activity_id AND t.type = k.type
       )
       ORDER BY k.i`,
      [
        chunk.map((entry) => entry.activity.channelId ?? 'directline'),
        chunk.map((entry) => entry.conversationId),
        chunk.map((entry) => entry.activity.id!),
        chunk.map((entry) => entry.activity.type ?? 'unknown'),
      ],
    );
    for (const row of rows) missing.push(chunk[Number(row.i) - 1]!);
  }
  const unanswered: UnansweredActivity[] = [];
  for (const { conversationId, activity } of missing) {
    if (activity.from?.role === 'user') unanswered.push({ conversationId, activity });
    await transcripts.logActivity({
      ...activity,
      channelId: activity.channelId ?? 'directline',
      conversation: { ...activity.conversation, id: conversationId },
    } as Activity);
  }
  return { backfilled: missing.length, unanswered };
}

function parseActivity(json: string): Partial<Activity> | undefined {
  try {
    const parsed: unknown = JSON.parse(json);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Partial<Activity>) : undefined;
  } catch {
    return undefined;
  }
}
