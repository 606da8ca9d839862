import type { Migration } from '../../migrations/migration.js';

/**
 * Every table the PostgreSQL stores use, as SQLite has them after its migration 7 (the Direct Line history
 * follows in migration 2).
 * ISO-8601 times are text in the "C" collation so that they sort as text, whatever the database's locale.
 * JSON is kept as text: exactly what was written comes back, and jsonb would refuse a `\u0000` escape.
 * `pg_trgm` is database-wide; it goes into `public` so that every schema's search_path finds its operators.
 */
export const pgInitial: Migration = {
  version: 1,
  name: 'storage.pg_initial',
  sql: `
    CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

    CREATE TABLE state_items (
      key        text PRIMARY KEY,
      etag       text NOT NULL,
      value      text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE transcripts (
      channel_id      text NOT NULL,
      conversation_id text COLLATE "C" NOT NULL,
      created_ms      bigint NOT NULL,
      PRIMARY KEY (channel_id, conversation_id)
    );
    CREATE INDEX transcripts_by_created ON transcripts (channel_id, created_ms, conversation_id);

    CREATE TABLE transcript_activities (
      seq             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      channel_id      text NOT NULL,
      conversation_id text COLLATE "C" NOT NULL,
      activity_id     text,
      timestamp_ms    bigint NOT NULL,
      type            text NOT NULL,
      from_role       text,
      from_id         text,
      text            text,
      json            text NOT NULL
    );
    CREATE INDEX transcript_activities_by_conversation
      ON transcript_activities (channel_id, conversation_id, timestamp_ms, seq);
    CREATE INDEX transcript_activities_by_time ON transcript_activities (timestamp_ms);
    CREATE UNIQUE INDEX transcript_activities_identity
      ON transcript_activities (channel_id, conversation_id, activity_id, type)
      WHERE activity_id IS NOT NULL;
    -- Trigram index for the console's ILIKE '%term%' search (terms of 3+ characters use it).
    CREATE INDEX transcript_activities_text_trgm ON transcript_activities USING gin (text public.gin_trgm_ops);

    CREATE TABLE conversation_index (
      conversation_id      text COLLATE "C" PRIMARY KEY,
      channel_id           text NOT NULL,
      locale               text NOT NULL,
      handoff_state        text NOT NULL CHECK (handoff_state IN ('bot', 'queued', 'agent', 'closed')),
      assigned_agent       text,
      created_at           text COLLATE "C" NOT NULL,
      last_activity_at     text COLLATE "C" NOT NULL,
      waiting_since        text COLLATE "C",
      handoff_requested_at text COLLATE "C",
      case_summary         text,
      last_seller_text     text,
      reference            text
    );
    CREATE INDEX conversation_index_by_state ON conversation_index (handoff_state, last_activity_at);
    CREATE INDEX conversation_index_by_activity ON conversation_index (last_activity_at);
    CREATE INDEX conversation_index_by_created ON conversation_index (created_at);

    CREATE TABLE recognitions (
      seq             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      conversation_id text NOT NULL,
      activity_id     text NOT NULL,
      text            text NOT NULL,
      intent          text NOT NULL,
      score           double precision NOT NULL,
      ambiguous       boolean NOT NULL,
      at              text COLLATE "C" NOT NULL
    );
    CREATE INDEX recognitions_by_conversation ON recognitions (conversation_id, seq);
    CREATE INDEX recognitions_by_time ON recognitions (at);
    CREATE INDEX recognitions_by_intent ON recognitions (intent, at);

    CREATE TABLE callback_requests (
      id              text PRIMARY KEY,
      conversation_id text NOT NULL,
      name            text NOT NULL,
      phone           text NOT NULL,
      locale          text NOT NULL,
      created_at      text COLLATE "C" NOT NULL,
      status          text NOT NULL CHECK (status IN ('open', 'done')),
      handled_by      text
    );
    CREATE INDEX callback_requests_by_status ON callback_requests (status, created_at);
    CREATE INDEX callback_requests_by_created ON callback_requests (created_at);

    CREATE TABLE ratings (
      id              text PRIMARY KEY,
      conversation_id text NOT NULL,
      score           integer NOT NULL CHECK (score BETWEEN 1 AND 5),
      agent           text,
      created_at      text COLLATE "C" NOT NULL
    );
    CREATE INDEX ratings_by_created ON ratings (created_at);

    CREATE TABLE staff_users (
      username      text PRIMARY KEY,
      display_name  text NOT NULL,
      password_hash text NOT NULL,
      role          text NOT NULL CHECK (role IN ('admin', 'agent')),
      created_at    text NOT NULL
    );

    CREATE TABLE console_sessions (
      id         text PRIMARY KEY,
      username   text NOT NULL,
      csrf_token text NOT NULL,
      created_at text NOT NULL,
      expires_at text COLLATE "C" NOT NULL
    );
    CREATE INDEX console_sessions_by_expiry ON console_sessions (expires_at);
  `,
};
