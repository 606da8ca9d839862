import type { Migration } from './migration.js';

/** The Direct Line channel's conversations and their activity history, keyed by watermark. */
export const directlineHistory: Migration = {
  version: 2,
  name: 'storage.directline_history',
  sql: `
    CREATE TABLE directline_conversations (
      id         TEXT PRIMARY KEY,
      user_id    TEXT NOT NULL,
      locale     TEXT NOT NULL,
      created_at TEXT NOT NULL
    ) WITHOUT ROWID;

    CREATE TABLE directline_activities (
      conversation_id TEXT NOT NULL REFERENCES directline_conversations (id) ON DELETE CASCADE,
      watermark       INTEGER NOT NULL CHECK (watermark > 0),
      json            TEXT NOT NULL,
      PRIMARY KEY (conversation_id, watermark)
    ) WITHOUT ROWID;
  `,
};
