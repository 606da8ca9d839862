import type { LiveEvent } from '../handoff/live-events.js';

/** Strings this short (ids, names, states, timestamps) are never shortened. */
const KEEP_CHARS = 256;
const ELLIPSIS = '…';

/**
 * `encode(event)` when it is at most `maxBytes` (UTF-8); else the same event with its long strings (seller or bot
 * text, case card) shortened to an ellipsis and `truncated: true`, as long as they can stay; undefined when even
 * strings of {@link KEEP_CHARS} characters do not fit.
 */
export function fitLiveEvent(event: LiveEvent, maxBytes: number, encode: (event: LiveEvent) => string): string | undefined {
  const fits = (text: string) => Buffer.byteLength(text, 'utf8') <= maxBytes;
  const whole = encode(event);
  if (fits(whole)) return whole;
  // Halving the allowed length: a few tries, and the shortened texts stay as long as the others let them.
  for (let limit = 4096; limit >= KEEP_CHARS; limit = Math.floor(limit / 2)) {
    const shortened = encode({ ...(shorten(event, limit) as LiveEvent), truncated: true });
    if (fits(shortened)) return shortened;
  }
  return undefined;
}

function shorten(value: unknown, limit: number): unknown {
  if (typeof value === 'string') {
    // By code point, so that a character outside the BMP (emoji) is never cut in half.
    const chars = Array.from(value);
    return chars.length > limit ? chars.slice(0, limit).join('') + ELLIPSIS : value;
  }
  if (Array.isArray(value)) return value.map((item) => shorten(item, limit));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, shorten(item, limit)]));
  }
  return value;
}
