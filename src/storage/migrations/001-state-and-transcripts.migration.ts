import type { Migration } from './migration.js';

/** botbuilder Storage items and the transcript of every activity, with a trigram full-text index over text. */
export const stateAndTranscripts: Migration = {
  version: 1,
  name: 'storage.state_and_transcripts',
  sql: `
    CREATE TABLE state_items (
      key        TEXT PRIMARY KEY,
      etag       TEXT NOT NULL,
      value      TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) WITHOUT ROWID;

    CREATE TABLE transcripts (
      channel_id      TEXT NOT NULL,
      conversation_id TEXT NOT NULL,
      created_ms      INTEGER NOT NULL,
      PRIMARY KEY (channel_id, conversation_id)
    ) WITHOUT ROWID;
    CREATE INDEX transcripts_by_created ON transcripts (channel_id, created_ms, conversation_id);

    CREATE TABLE transcript_activities (
      seq             INTEGER PRIMARY KEY AUTOINCREMENT,
      channel_id      TEXT NOT NULL,
      conversation_id TEXT NOT NULL,
      activity_id     TEXT,
      timestamp_ms    INTEGER NOT NULL,
      type            TEXT NOT NULL,
      from_role       TEXT,
      from_id         TEXT,
      text            TEXT,
      json            TEXT NOT NULL
    );
    CREATE INDEX transcript_activities_by_conversation
      ON transcript_activities (channel_id, conversation_id, timestamp_ms, seq);
    CREATE INDEX transcript_activities_by_time ON transcript_activities (timestamp_ms);
    CREATE INDEX transcript_activities_by_type ON transcript_activities (type, from_role);

    -- External-content FTS5 table: the text lives once, in transcript_activities.
    -- The trigram tokenizer matches any substring of 3+ characters, which suits Chinese (no word breaks).
    CREATE VIRTUAL TABLE transcript_fts USING fts5(
      text, content='transcript_activities', content_rowid='seq', tokenize='trigram'
    );
    CREATE TRIGGER transcript_activities_ai AFTER INSERT ON transcript_activities
      WHEN new.text IS NOT NULL BEGIN
      INSERT INTO transcript_fts (rowid, text) VALUES (new.seq, new.text);
    END;
    CREATE TRIGGER transcript_activities_ad AFTER DELETE ON transcript_activities
      WHEN old.text IS NOT NULL BEGIN
      INSERT INTO transcript_fts (transcript_fts, rowid, text) VALUES ('delete', old.seq, old.text);
    END;
  `,
};
