import type { Migration } from './migration.js';
import { stateAndTranscripts } from './001-state-and-transcripts.migration.js';
import { directlineHistory } from './002-directline-history.migration.js';
import { handoffAndConsole } from './003-handoff-and-console.migration.js';
import { transcriptActivityIdentity } from './004-transcript-activity-identity.migration.js';
import { transcriptFtsBatched } from './005-transcript-fts-batched.migration.js';
import { directlineActivitiesRowid } from './006-directline-activities-rowid.migration.js';
import { dropTranscriptTypeIndex } from './007-drop-transcript-type-index.migration.js';

export type { Migration } from './migration.js';

/** Every migration, in order. Append only: a database records the versions it has applied. */
export const MIGRATIONS: readonly Migration[] = [
  stateAndTranscripts,
  directlineHistory,
  handoffAndConsole,
  transcriptActivityIdentity,
  transcriptFtsBatched,
  directlineActivitiesRowid,
  dropTranscriptTypeIndex,
];
