import type { Migration } from './migration.js';

/**
 * One row per (channel, conversation, activity id, type): logging an activity again (a retried write, a replayed
 * turn, the start-up backfill from the Direct Line history) is a no-op. Older files may hold duplicates; the
 * first copy is kept.
 */
export const transcriptActivityIdentity: Migration = {
  version: 4,
  name: 'storage.transcript_activity_identity',
  sql: `
    DELETE FROM transcript_activities
    WHERE activity_id IS NOT NULL
      AND seq NOT IN (
        SELECT MIN(seq) FROM transcript_activities
        WHERE activity_id IS NOT NULL
        GROUP BY channel_id, conversation_id, activity_id, type
      );
    CREATE UNIQUE INDEX transcript_activities_identity
      ON transcript_activities (channel_id, conversation_id, activity_id, type)
      WHERE activity_id IS NOT NULL;
  `,
};
