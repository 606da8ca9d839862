import { pino, type DestinationStream, type Logger } from 'pino';
import { maskPersonalData } from './privacy/personal-data-mask.js';

export type { Logger };

/**
 * A pino destination that masks personal data (phone, ID, credit code, bank card, e-mail; see
 * maskPersonalData) in each finished JSON line before it reaches `target`. Masking the serialized line rather
 * than chosen fields also covers error messages, stacks and any field added later; the patterns never touch
 * JSON syntax (they need a run of 7+ digits or an `@` address).
 */
export function maskingDestination(target: DestinationStream): DestinationStream {
  return { write: (line: string) => target.write(maskPersonalData(line)) };
}

/** Structured JSON logs on stdout (or `destination`), personal data masked; `silent` in tests. */
export function createLogger(level: string, destination: DestinationStream = pino.destination(1)): Logger {
  return pino({ level, base: undefined }, maskingDestination(destination));
}
