import type { Migration } from './migration.js';

/**
 * The Direct Line history becomes an ordinary rowid table with a unique (conversation, watermark) index. As a
 * WITHOUT ROWID table keyed by conversation, each insert landed in the middle of a b-tree of whole activity JSON
 * rows (SQLite advises against WITHOUT ROWID for large rows): measured, an append cost twice as much.
 */
export const directlineActivitiesRowid: Migration = {
  version: 6,
  name: 'storage.directline_activities_rowid',
  sql: `
    CREATE TABLE directline_activities_next (
      seq             INTEGER PRIMARY KEY,
      conversation_id TEXT NOT NULL REFERENCES directline_conversations (id) ON DELETE CASCADE,
      watermark       INTEGER NOT NULL CHECK (watermark > 0),
      json            TEXT NOT NULL
    );
    INSERT INTO directline_activities_next (conversation_id, watermark, json)
      SELECT conversation_id, watermark, json FROM directline_activities ORDER BY conversation_id, watermark;
    DROP TABLE directline_activities;
    ALTER TABLE directline_activities_next RENAME TO directline_activities;
    CREATE UNIQUE INDEX directline_activities_by_watermark ON directline_activities (conversation_id, watermark);
  `,
};
