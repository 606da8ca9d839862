/** `@a, @b, ...`: a better-sqlite3 VALUES list bound from a row object. */
export function namedPlaceholders(columns: readonly string[]): string {
  return columns.map((column) => `@${column}`).join(', ');
}

/** `$1, $2, ...`: a node-postgres VALUES list bound from the row's values in column order. */
export function positionalPlaceholders(columns: readonly string[]): string {
  return columns.map((_, index) => `$${index + 1}`).join(', ');
}
