/**
 * Nesting limits for JSON that clients send. SQLite's JSON functions refuse documents nested deeper than 1,000
 * levels (`malformed JSON`), and recursive code (schemas, serializers) may run out of stack long before V8's parser
 * does; no real client nests anywhere near these limits.
 */

/** Deepest nesting accepted in a request body or in one field of an activity. */
export const MAX_JSON_DEPTH = 64;

/**
 * Deepest array/object nesting in JSON text, counted without parsing (brackets inside strings are skipped), so a
 * hostile body is refused before `JSON.parse` builds it. Stops counting once `limit` is passed.
 */
export function jsonTextDepth(text: string, limit = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/** Whether a parsed value nests arrays/objects at most `limit` levels deep (iterative: no stack to exhaust). */
export function jsonDepthWithin(value: unknown, limit = MAX_JSON_DEPTH): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object') continue;
    if (depth + 1 > limit) return false;
    for (const child of Object.values(item as Record<string, unknown>)) stack.push([child, depth + 1]);
  }
  return true;
}
