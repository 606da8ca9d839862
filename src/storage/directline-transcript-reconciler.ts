import type { Activity } from 'botbuilder';
import type { Database } from 'better-sqlite3';
import type { SqliteTranscriptStore } from './sqlite-transcript.store.js';

/** A seller activity the channel acknowledged but whose bot turn never started (the process died first). */
export interface UnansweredActivity {
  readonly conversationId: string;
  readonly activity: Partial<Activity>;
}

/** What the start-up reconciliation found and repaired. */
export interface ReconcileReport {
  /** Direct Line history entries copied into the transcript. */
  readonly backfilled: number;
  /** Seller activities the bot never saw, oldest first per conversation; the channel may run their turns now. */
  readonly unanswered: readonly UnansweredActivity[];
}

/**
 * Makes the transcript a superset of the Direct Line history after a crash.
 *
 * The channel commits a seller message to its history before acknowledging it, but the bot turn (and so the
 * transcript middleware) runs later; a bot reply is committed to the history a moment before the middleware logs
 * it. A SIGKILL in between leaves history entries missing from the transcript: this copies them over (logging is
 * idempotent by activity id) and reports the seller activities whose turn never started. Run it at start-up,
 * before the channel serves requests.
 */
export function reconcileDirectLineTranscripts(db: Database, transcripts: SqliteTranscriptStore): ReconcileReport {
  const missing = db
    .prepare(
      `SELECT d.conversation_id, d.json FROM directline_activities d
       WHERE NOT EXISTS (
         SELECT 1 FROM transcript_activities t
         WHERE t.channel_id = coalesce(json_extract(d.json, '$.channelId'), 'directline')
           AND t.conversation_id = d.conversation_id
           AND t.activity_id = json_extract(d.json, '$.id')
           AND t.type = coalesce(json_extract(d.json, '$.type'), 'unknown')
       )
       ORDER BY d.conversation_id, d.watermark`,
    )
    .all() as Array<{ conversation_id: string; json: string }>;
  const unanswered: UnansweredActivity[] = [];
  db.transaction(() => {
    for (const row of missing) {
      const activity = JSON.parse(row.json) as Partial<Activity>;
      if (activity.from?.role === 'user') unanswered.push({ conversationId: row.conversation_id, activity });
      void transcripts.logActivity({
        ...activity,
        channelId: activity.channelId ?? 'directline',
        conversation: { ...activity.conversation, id: row.conversation_id },
      } as Activity);
    }
  })();
  return { backfilled: missing.length, unanswered };
}
