import type { RowWriting } from '../rows/row-writing.js';

/**
 * PostgreSQL text cannot hold U+0000 (node-postgres sends it and the server refuses the whole statement), while a
 * seller can type anything. Free text columns store it as a space; JSON columns need nothing, since
 * JSON.stringify escapes it.
 */
export function pgText(text: string): string;
export function pgText(text: string | null): string | null;
export function pgText(text: string | null): string | null {
  return text === null ? null : text.replaceAll('\u0000', ' ');
}

/** A bigint column (node-postgres returns int8 as a string) as a number; our values stay below 2^53. */
export function int8(value: string | number): number {
  return typeof value === 'number' ? value : Number(value);
}

/** Row writing for PostgreSQL: free text without U+0000, and undefined (a field a patch leaves out) as NULL. */
export const PG_ROW_WRITING: RowWriting = { text: pgText, undefinedAsNull: true };
