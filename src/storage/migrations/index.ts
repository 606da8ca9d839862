import type { Migration } from './migration.js';
import { stateAndTranscripts } from './001-state-and-transcripts.migration.js';

export type { Migration } from './migration.js';

/** Every migration, in order. Append only: a database records the versions it has applied. */
export const MIGRATIONS: readonly Migration[] = [stateAndTranscripts];
