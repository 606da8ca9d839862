import type { Migration } from './migration.js';

/** Conversation index, NLU recognitions, callbacks, ratings, staff users and console sessions. */
export const handoffAndConsole: Migration = {
  version: 3,
  name: 'storage.handoff_and_console',
  sql: `
    CREATE TABLE conversation_index (
      conversation_id      TEXT PRIMARY KEY,
      channel_id           TEXT NOT NULL,
      locale               TEXT NOT NULL,
      handoff_state        TEXT NOT NULL CHECK (handoff_state IN ('bot', 'queued', 'agent', 'closed')),
      assigned_agent       TEXT,
      created_at           TEXT NOT NULL,
      last_activity_at     TEXT NOT NULL,
      waiting_since        TEXT,
      handoff_requested_at TEXT,
      case_summary         TEXT,
      last_seller_text     TEXT,
      reference            TEXT
    ) WITHOUT ROWID;
    CREATE INDEX conversation_index_by_state ON conversation_index (handoff_state, last_activity_at);
    CREATE INDEX conversation_index_by_activity ON conversation_index (last_activity_at);
    CREATE INDEX conversation_index_by_created ON conversation_index (created_at);

    CREATE TABLE recognitions (
      seq             INTEGER PRIMARY KEY AUTOINCREMENT,
      conversation_id TEXT NOT NULL,
      activity_id     TEXT NOT NULL,
      text            TEXT NOT NULL,
      intent          TEXT NOT NULL,
      score           REAL NOT NULL,
      ambiguous       INTEGER NOT NULL,
      at              TEXT NOT NULL
    );
    CREATE INDEX recognitions_by_conversation ON recognitions (conversation_id, seq);
    CREATE INDEX recognitions_by_time ON recognitions (at);
    CREATE INDEX recognitions_by_intent ON recognitions (intent, at);

    CREATE TABLE callback_requests (
      id              TEXT PRIMARY KEY,
      conversation_id TEXT NOT NULL,
      name            TEXT NOT NULL,
      phone           TEXT NOT NULL,
      locale          TEXT NOT NULL,
      created_at      TEXT NOT NULL,
      status          TEXT NOT NULL CHECK (status IN ('open', 'done')),
      handled_by      TEXT
    ) WITHOUT ROWID;
    CREATE INDEX callback_requests_by_status ON callback_requests (status, created_at);
    CREATE INDEX callback_requests_by_created ON callback_requests (created_at);

    CREATE TABLE ratings (
      id              TEXT PRIMARY KEY,
      conversation_id TEXT NOT NULL,
      score           INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
      agent           TEXT,
      created_at      TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX ratings_by_created ON ratings (created_at);

    CREATE TABLE staff_users (
      username      TEXT PRIMARY KEY,
      display_name  TEXT NOT NULL,
      password_hash TEXT NOT NULL,
      role          TEXT NOT NULL CHECK (role IN ('admin', 'agent')),
      created_at    TEXT NOT NULL
    ) WITHOUT ROWID;

    -- No foreign key to staff_users: the ports allow sessions and users to be managed independently.
    CREATE TABLE console_sessions (
      id         TEXT PRIMARY KEY,
      username   TEXT NOT NULL,
      csrf_token TEXT NOT NULL,
      created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX console_sessions_by_expiry ON console_sessions (expires_at);
  `,
};
