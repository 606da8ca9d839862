import { addCounts, NO_COUNTS, type SellerDataCounts } from '../privacy/seller-data.js';

/**
 * A purge erases at most this many conversations, or transcript lines, per transaction, then lets the event loop
 * run: `npm run bench:data` measured about 330 ms per 500 conversations on SQLite on the loaded 2-core machine; the
 * first version, one transaction and a statement per conversation, held the event loop 49 s for 5,000.
 */
export const PURGE_CHUNK_CONVERSATIONS = 500;
export const PURGE_CHUNK_ROWS = 5000;

/** The steps of a retention purge on one backend; each resolves once its own transaction has committed. */
export interface PurgeSteps {
  /** Conversations without activity since `cutoff`: idle in the console index, or never indexed and created before. */
  idleConversations(cutoff: Date): Promise<readonly string[]>;
  /** Erases these conversations entirely (as an erasure does), in one transaction. */
  eraseConversations(ids: readonly string[]): Promise<SellerDataCounts>;
  /** Deletes up to {@link PURGE_CHUNK_ROWS} transcript lines older than `cutoff`, oldest first; how many. */
  deleteOldTranscriptLines(cutoff: Date): Promise<number>;
  /** Deletes the rest older than `cutoff` (recognitions, callbacks, ratings, bot state, emptied transcript listings). */
  deleteOldRows(cutoff: Date): Promise<SellerDataCounts>;
}

/**
 * Retention, the same on every backend: idle conversations go entirely, {@link PURGE_CHUNK_CONVERSATIONS} per
 * transaction; then old transcript lines of the active ones, {@link PURGE_CHUNK_ROWS} per transaction; then the
 * other old rows. A crash mid-purge leaves the rest for the next run.
 */
export async function purgeInChunks(steps: PurgeSteps, cutoff: Date): Promise<SellerDataCounts> {
  const idle = [...new Set(await steps.idleConversations(cutoff))];
  let total = NO_COUNTS;
  for (let start = 0; start < idle.length; start += PURGE_CHUNK_CONVERSATIONS) {
    total = addCounts(total, await steps.eraseConversations(idle.slice(start, start + PURGE_CHUNK_CONVERSATIONS)));
  }
  for (;;) {
    const lines = await steps.deleteOldTranscriptLines(cutoff);
    total = addCounts(total, { ...NO_COUNTS, transcriptLines: lines });
    if (lines < PURGE_CHUNK_ROWS) break;
  }
  return addCounts(total, await steps.deleteOldRows(cutoff));
}
