import type { Activity } from 'botbuilder';
import type { Database } from 'better-sqlite3';
import type { Logger } from '../logger.js';
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
 * before the channel serves requests. Rows it cannot read are logged and skipped, never fatal.
 */
export function reconcileDirectLineTranscripts(
  db: Database,
  transcripts: SqliteTranscriptStore,
  logger?: Logger,
): ReconcileReport {
  // A row SQLite cannot read as JSON (e.g. nested past its 1,000-level limit, stored before input limits existed)
  // must not stop the start-up: it is skipped here (CASE keeps json_extract from ever seeing it) and logged.
  const unreadable = db
    .prepare('SELECT conversation_id, watermark FROM directline_activities WHERE NOT json_valid(json)')
    .all() as Array<{ conversation_id: string; watermark: number }>;
  if (unreadable.length > 0) {
    logger?.warn(
      { rows: unreadable.slice(0, 20), count: unreadable.length },
      'reconcileDirectLineTranscripts(): skipped Direct Line history rows that are not readable JSON',
    );
  }
  const missing = db
    .prepare(
      `SELECT d.conversation_id, d.json FROM directline_activities d
       WHERE CASE WHEN json_valid(d.json) THEN NOT EXISTS (
         SELECT 1 FROM transcript_activities t
         WHERE t.channel_id = coalesce(json_extract(d.json, '$.channelId'), 'directline')
           AND t.conversation_id = d.conversation_id
           AND t.activity_id = json_extract(d.json, '$.id')
           AND t.type = coalesce(json_extract(d.json, '$.type'), 'unknown')
       ) ELSE 0 END
       ORDER BY d.conversation_id, d.watermark`,
    )
    .all() as Array<{ conversation_id: string; json: string }>;
  const unanswered: UnansweredActivity[] = [];
  let backfilled = 0;
  db.transaction(() => {
    for (const row of missing) {
      let activity: Partial<Activity>;
      try {
        activity = JSON.parse(row.json) as Partial<Activity>;
        if (activity === null || typeof activity !== 'object') throw new TypeError('not an object');
      } catch (error) {
        logger?.warn({ err: error, conversationId: row.conversation_id }, 'reconcileDirectLineTranscripts(): skipped a bad row');
        continue;
      }
      if (activity.from?.role === 'user') unanswered.push({ conversationId: row.conversation_id, activity });
      backfilled++;
      void transcripts.logActivity({
        ...activity,
        channelId: activity.channelId ?? 'directline',
        conversation: { ...activity.conversation, id: row.conversation_id },
      } as Activity);
    }
  })();
  return { backfilled, unanswered };
}
