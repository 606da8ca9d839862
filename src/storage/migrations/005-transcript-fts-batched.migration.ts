import type { Migration } from './migration.js';

/**
 * The search index is no longer updated by a trigger on every insert: SqliteTranscriptStore adds the new rows in
 * bulk (every few hundred lines, and before every search, so searches see every line). Indexing a line alone cost
 * more than storing it; in bulk it costs a seventh. `transcript_fts_progress` holds the last indexed `seq`; a
 * deleted line leaves the index only if it was in it (removing an absent row would corrupt an external-content
 * FTS5 table).
 */
export const transcriptFtsBatched: Migration = {
  version: 5,
  name: 'storage.transcript_fts_batched',
  sql: `
    DROP TRIGGER transcript_activities_ai;
    DROP TRIGGER transcript_activities_ad;
    CREATE TABLE transcript_fts_progress (
      id       INTEGER PRIMARY KEY CHECK (id = 1),
      last_seq INTEGER NOT NULL
    );
    INSERT INTO transcript_fts_progress (id, last_seq)
      VALUES (1, COALESCE((SELECT MAX(seq) FROM transcript_activities), 0));
    CREATE TRIGGER transcript_activities_ad AFTER DELETE ON transcript_activities
      WHEN old.text IS NOT NULL AND old.seq <= (SELECT last_seq FROM transcript_fts_progress WHERE id = 1) BEGIN
      INSERT INTO transcript_fts (transcript_fts, rowid, text) VALUES ('delete', old.seq, old.text);
    END;
  `,
};
