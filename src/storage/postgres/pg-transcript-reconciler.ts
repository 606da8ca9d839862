import type { Activity } from 'botbuilder';
import type { Database } from 'better-sqlite3';
import type pg from 'pg';
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
 * reconcileDirectLineTranscripts for STORAGE=postgres: the Direct Line history is in the instance's SQLite file and
 * the transcript in PostgreSQL, so the history is read here and checked against the transcript in chunks, instead
 * of one join. Same result: missing entries are logged (idempotent by activity id), and the seller activities among
 * them are reported as never answered. It reads the whole history at start, as the SQLite join does.
 */
export async function reconcileAcrossDatabases(
  history: Database,
  pool: pg.Pool,
  transcripts: PgTranscriptStore,
  logger?: Logger,
): Promise<ReconcileReport> {
  const rows = history
    .prepare('SELECT conversation_id, watermark, json FROM directline_activities ORDER BY conversation_id, watermark')
    .all() as Array<{ conversation_id: string; watermark: number; json: string }>;
  const entries: HistoryEntry[] = [];
  for (const row of rows) {
    const activity = parseActivity(row.json);
    if (!activity) {
      // As on SQLite: a row that cannot be read must not stop the start-up.
      logger?.warn(
        { conversationId: row.conversation_id, watermark: row.watermark },
        'reconcileAcrossDatabases(): skipped a Direct Line history row that is not readable JSON',
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
