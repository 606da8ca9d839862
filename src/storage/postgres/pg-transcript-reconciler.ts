import type { Activity } from 'botbuilder';
import type { Database } from 'better-sqlite3';
import type pg from 'pg';
import type { ReconcileReport, UnansweredActivity } from '../directline-transcript-reconciler.js';
import type { PgTranscriptStore } from './pg-transcript.store.js';

/** History entries checked against the transcript per query (four text arrays of this length). */
const CHUNK = 2000;

interface HistoryEntry {
  readonly conversationId: string;
  readonly activity: Partial<Activity>;
}

/**
 * reconcileDirectLineTranscripts for STORAGE=postgres: the Direct Line history is in the instance's SQLite file and
 * the transcript in PostgreSQL, so the history is read here and checked against the transcript in chunks, instead
 * of one join. Same result: missing entries are logged (idempotent by activity id), and the seller activities among
 * them are reported as never answered. It reads the whole history at start, as the SQLite join does.
 */
export async function reconcileAcrossDatabases(
  history: Database,
  pool: pg.Pool,
  transcripts: PgTranscriptStore,
): Promise<ReconcileReport> {
  const entries = history
    .prepare('SELECT conversation_id, json FROM directline_activities ORDER BY conversation_id, watermark')
    .all()
    .map((row) => {
      const { conversation_id: conversationId, json } = row as { conversation_id: string; json: string };
      return { conversationId, activity: JSON.parse(json) as Partial<Activity> };
    })
    // Only an entry with an id can be matched; the channel gives every activity one.
    .filter((entry) => typeof entry.activity.id === 'string');
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
