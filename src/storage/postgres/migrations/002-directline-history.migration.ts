import type { Migration } from '../../migrations/migration.js';

/**
 * The Direct Line history for PgConversationStore. `last_watermark` lives on the conversation row: an append
 * increments it and inserts the activity in one statement, so the row lock numbers the activities of one
 * conversation in order across instances, without a MAX() scan per append.
 */
export const pgDirectlineHistory: Migration = {
  version: 2,
  name: 'storage.pg_directline_history',
  sql: `
    CREATE TABLE directline_conversations (
      id             text PRIMARY KEY,
      user_id        text NOT NULL,
      locale         text NOT NULL,
      created_at     text NOT NULL,
      last_watermark bigint NOT NULL DEFAULT 0
    );

    CREATE TABLE directline_activities (
      conversation_id text NOT NULL REFERENCES directline_conversations (id) ON DELETE CASCADE,
      watermark       bigint NOT NULL CHECK (watermark > 0),
      json            text NOT NULL,
      PRIMARY KEY (conversation_id, watermark)
    );
  `,
};
