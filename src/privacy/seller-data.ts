/*
 * The port through which one seller's data is exported or erased and old data is purged (PIPL: access and
 * deletion; retention). Implementations: SQLite (src/storage/sqlite-seller-data.ts), PostgreSQL
 * (src/storage/postgres/pg-seller-data.ts), each erasure one transaction, and memory (src/storage/memory-seller-data.ts).
 * Timestamps are ISO-8601 UTC strings.
 */

/** Whose data: one conversation, or every conversation of one user id (the Direct Line token's `user`). */
export type SellerSelector = { readonly conversationId: string } | { readonly userId: string };

/** Everything held about one conversation. Stored activities are returned as stored (JSON objects). */
export interface ConversationData {
  readonly conversationId: string;
  /** The Direct Line conversation (user id, locale, creation), when it came through the web widget. */
  readonly directLine: { readonly userId: string; readonly locale: string; readonly createdAt: string } | null;
  /** The console's conversation record: handoff state, agent, case card, last seller text. */
  readonly handoff: Readonly<Record<string, unknown>> | null;
  /** Every activity of the transcript (seller, bot, agent), oldest first. */
  readonly transcript: readonly unknown[];
  /** The Direct Line channel's activity history, in watermark order. */
  readonly history: readonly unknown[];
  readonly recognitions: readonly Readonly<Record<string, unknown>>[];
  readonly callbacks: readonly Readonly<Record<string, unknown>>[];
  readonly ratings: readonly Readonly<Record<string, unknown>>[];
  /** Bot state of the conversation (dialog stack, scenario answers), by storage key. */
  readonly state: Readonly<Record<string, unknown>>;
}

/** The export of {@link SellerDataStore.export}. */
export interface SellerDataExport {
  readonly selector: SellerSelector;
  readonly exportedAt: string;
  readonly conversations: readonly ConversationData[];
  /** Bot state kept per user (only when selected by user id), by storage key. */
  readonly userState: Readonly<Record<string, unknown>>;
}

/** How many records an erasure or a purge removed, per kind; never the data itself (safe to log). */
export interface SellerDataCounts {
  readonly conversations: number;
  readonly transcriptLines: number;
  readonly historyActivities: number;
  readonly recognitions: number;
  readonly callbacks: number;
  readonly ratings: number;
  readonly handoffRecords: number;
  readonly stateItems: number;
}

/** All counts zero. */
export const NO_COUNTS: SellerDataCounts = Object.freeze({
  conversations: 0,
  transcriptLines: 0,
  historyActivities: 0,
  recognitions: 0,
  callbacks: 0,
  ratings: 0,
  handoffRecords: 0,
  stateItems: 0,
});

/** Sums two sets of counts. */
export function addCounts(a: SellerDataCounts, b: SellerDataCounts): SellerDataCounts {
  const sum = { ...a };
  for (const key of Object.keys(b) as (keyof SellerDataCounts)[]) sum[key] = a[key] + b[key];
  return sum;
}

export interface SellerDataStore {
  /** Everything held about the selected seller; `conversations` is empty when nothing is known. */
  export(selector: SellerSelector): Promise<SellerDataExport>;
  /**
   * Removes everything held about the selected seller: transcript, Direct Line history, console record,
   * recognitions, callbacks, ratings, bot state (and user state when selected by user id).
   */
  erase(selector: SellerSelector): Promise<SellerDataCounts>;
  /**
   * Retention: removes conversations without activity since `cutoff` (entirely, as `erase` does), and transcript
   * lines, recognitions, callbacks, ratings and bot state older than `cutoff` in any conversation.
   */
  purgeOlderThan(cutoff: Date): Promise<SellerDataCounts>;
}
