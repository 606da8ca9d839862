import type { Migration } from '../../migrations/migration.js';

/**
 * What instances sharing one database must agree on: rate-limit counts and generated settings.
 *
 * - `rate_limit_buckets`: one row per limiter and client key, a token bucket kept as its "theoretical arrival
 *   time" (GCRA): the bucket is full again once `tat_ms` has passed, so such rows can go (index by `tat_ms`).
 *   `allowed` is the decision of the last take, for the statement's RETURNING.
 * - `sign_in_failures`: one row per client address holding both sliding windows (the address's failure times,
 *   and each account's from that address), so that one row lock decides an attempt against both limits.
 * - `shared_settings`: name → value (the channel secret when DIRECTLINE_SECRET is empty).
 * Times are epoch milliseconds from the instances' clocks.
 */
export const pgSharedLimits: Migration = {
  version: 4,
  name: 'storage.pg_shared_limits',
  sql: `
    CREATE TABLE rate_limit_buckets (
      key     text PRIMARY KEY,
      tat_ms  double precision NOT NULL,
      allowed boolean NOT NULL
    );
    CREATE INDEX rate_limit_buckets_by_tat ON rate_limit_buckets (tat_ms);

    CREATE TABLE sign_in_failures (
      address       text PRIMARY KEY,
      account_names text[] NOT NULL,
      account_times bigint[] NOT NULL,
      address_times bigint[] NOT NULL,
      allowed       boolean NOT NULL,
      expires_ms    bigint NOT NULL
    );
    CREATE INDEX sign_in_failures_by_expiry ON sign_in_failures (expires_ms);

    CREATE TABLE shared_settings (
      name       text PRIMARY KEY,
      value      text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
  `,
};
