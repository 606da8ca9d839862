import type { ConversationData } from '../privacy/seller-data.js';

/** One database row, as a driver returns it (`snake_case` columns). */
export type Row = Record<string, unknown>;

/** Columns stored as JSON text, returned parsed in an export. */
const JSON_COLUMNS = new Set(['case_summary', 'reference', 'json', 'value']);

/** `snake_case` columns to `camelCase` fields, JSON columns parsed. */
export function toRecord(row: Row): Row {
  const record: Row = {};
  for (const [column, value] of Object.entries(row)) {
    const field = column.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
    record[field] = JSON_COLUMNS.has(column) && typeof value === 'string' ? JSON.parse(value) : value;
  }
  return record;
}

/** Bot state rows (`key`, JSON `value`) by storage key. */
export function stateByKey(rows: readonly Row[]): Record<string, unknown> {
  return Object.fromEntries(rows.map((row) => [String(row.key), JSON.parse(String(row.value)) as unknown]));
}

/** The `json` column of each row, parsed. */
export function parsedJson(rows: readonly Row[]): unknown[] {
  return rows.map((row) => JSON.parse(String(row.json)) as unknown);
}

/** What a backend read about one conversation, as rows; the Direct Line history already as activities. */
export interface ConversationRows {
  readonly directLine: Row | undefined;
  readonly index: Row | undefined;
  /** Transcript rows (`json`), oldest first. */
  readonly transcript: readonly Row[];
  /** The Direct Line history in watermark order, as the channel serves it. */
  readonly history: readonly unknown[];
  readonly recognitions: readonly Row[];
  readonly callbacks: readonly Row[];
  readonly ratings: readonly Row[];
  /** Bot state rows (`key`, `value`) of the conversation. */
  readonly state: readonly Row[];
}

/** The export of one conversation, the same whichever database it was read from. */
export function conversationData(conversationId: string, rows: ConversationRows): ConversationData {
  const { directLine: dl, index } = rows;
  return {
    conversationId,
    directLine: dl ? { userId: String(dl.user_id), locale: String(dl.locale), createdAt: String(dl.created_at) } : null,
    handoff: index ? toRecord(index) : null,
    transcript: parsedJson(rows.transcript),
    // A JSON round trip: Date timestamps become the ISO strings a JSON export carries.
    history: rows.history.map((activity) => JSON.parse(JSON.stringify(activity)) as unknown),
    // SQLite stores the flag as 0/1, PostgreSQL as a boolean.
    recognitions: rows.recognitions.map((row) => ({ ...toRecord(row), ambiguous: row.ambiguous === 1 || row.ambiguous === true })),
    callbacks: rows.callbacks.map(toRecord),
    ratings: rows.ratings.map(toRecord),
    state: stateByKey(rows.state),
  };
}
