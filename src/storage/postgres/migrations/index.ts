import type { Migration } from '../../migrations/migration.js';
import { pgInitial } from './001-initial.migration.js';
import { pgDirectlineHistory } from './002-directline-history.migration.js';
import { pgSharedLimits } from './004-shared-limits.migration.js';

/**
 * PLACEHOLDER for the lead's migration 3 (Direct Line history), so that versions stay consecutive on the
 * `limits` branch: replace it with the real 003 at merge. Never ship it: a schema that applied it would skip the
 * real 003.
 */
const leadMigration3Placeholder: Migration = { version: 3, name: 'placeholder.lead_003', sql: 'SELECT 1' };

/** Every PostgreSQL migration, in order. Append only: a schema records the versions it has applied. */
export const PG_MIGRATIONS: readonly Migration[] = [
  pgInitial,
  pgDirectlineHistory,
  // 003 (lead)
  leadMigration3Placeholder,
  pgSharedLimits,
];
