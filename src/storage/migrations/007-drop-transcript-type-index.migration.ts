import type { Migration } from './migration.js';

/**
 * No query filters transcript lines by type and role (the console's figures come from the conversation index and
 * the recognition log), yet every logged line paid for this index: a seller turn logs three lines, and the
 * transcript insert was the costliest write of a turn.
 */
export const dropTranscriptTypeIndex: Migration = {
  version: 7,
  name: 'storage.drop_transcript_type_index',
  sql: `
    DROP INDEX IF EXISTS transcript_activities_by_type;
  `,
};
