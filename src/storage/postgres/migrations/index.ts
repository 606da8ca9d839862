import type { Migration } from '../../migrations/migration.js';
import { pgInitial } from './001-initial.migration.js';

/** Every PostgreSQL migration, in order. Append only: a schema records the versions it has applied. */
export const PG_MIGRATIONS: readonly Migration[] = [pgInitial];
