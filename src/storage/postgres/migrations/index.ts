import type { Migration } from '../../migrations/migration.js';
import { pgInitial } from './001-initial.migration.js';
import { pgDirectlineHistory } from './002-directline-history.migration.js';
import { pgDirectlineTurns } from './003-directline-turns.migration.js';
import { pgSharedLimits } from './004-shared-limits.migration.js';

/** Every PostgreSQL migration, in order. Append only: a schema records the versions it has applied. */
export const PG_MIGRATIONS: readonly Migration[] = [pgInitial, pgDirectlineHistory, pgDirectlineTurns, pgSharedLimits];
