/**
 * How a backend writes values into a row: the few points where SQLite and PostgreSQL differ, so that one mapper
 * per table serves both.
 */
export interface RowWriting {
  /** Applied to free-text columns a person typed (PostgreSQL text cannot hold U+0000). */
  readonly text: (text: string) => string;
  /** A field given as undefined is written as NULL (PostgreSQL builds rows from partial patches too). */
  readonly undefinedAsNull: boolean;
}

/** Values as they are (SQLite stores any text, and its rows are built from whole records). */
export const AS_GIVEN: RowWriting = { text: (text) => text, undefinedAsNull: false };

/**
 * Whether a nullable field is written as NULL under `writing`. Without undefinedAsNull, rows come from whole
 * records, whose fields are never undefined.
 */
export function isAbsent<T>(value: T | null | undefined, writing: RowWriting): value is null | undefined {
  return value === null || (value === undefined && writing.undefinedAsNull);
}
