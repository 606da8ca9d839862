import type { Migration } from '../../migrations/migration.js';

/**
 * The Direct Line history served to every instance: timestamps given by the database (one clock for all instances,
 * strictly increasing per conversation), and the turn ledger — which seller activities have had their bot turn, and
 * which instance holds the conversation's turns right now (a lease, so a killed instance's conversations are taken
 * over once it expires), with counts of seller activities stored and run, so that the backlog limit is one
 * condition of the append. Rows written before this version keep their timestamp inside the JSON.
 */
export const pgDirectlineTurns: Migration = {
  version: 3,
  name: 'storage.pg_directline_turns',
  sql: `
    ALTER TABLE directline_conversations
      ADD COLUMN last_timestamp_ms     bigint NOT NULL DEFAULT 0,
      ADD COLUMN last_seller_watermark bigint NOT NULL DEFAULT 0,
      ADD COLUMN turn_watermark        bigint NOT NULL DEFAULT 0,
      ADD COLUMN seller_turns_stored   bigint NOT NULL DEFAULT 0,
      ADD COLUMN seller_turns_run      bigint NOT NULL DEFAULT 0,
      ADD COLUMN turn_owner            text,
      ADD COLUMN turn_lease_until      timestamptz;

    ALTER TABLE directline_activities ADD COLUMN timestamp_ms bigint;
    -- Conversations from before this version have no waiting turns to count.
    UPDATE directline_conversations SET turn_watermark = last_watermark;

    -- The sweep looks for conversations whose seller activities wait for a turn; there are few at any time.
    CREATE INDEX directline_conversations_waiting ON directline_conversations (id)
      WHERE last_seller_watermark > turn_watermark;
  `,
};
