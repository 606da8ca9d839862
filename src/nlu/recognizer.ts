import type { IntentId } from './intents.js';

export interface IntentScore {
  readonly intent: IntentId;
  readonly score: number;
}

/** What the matcher concluded about one utterance. */
export interface Recognition {
  /** Best intent, `none` when nothing in scope is confident enough. */
  readonly intent: IntentId;
  /** Confidence of `intent`, 0..1. */
  readonly score: number;
  /** Runner-up intents with their scores, best first (never includes `intent`). */
  readonly alternatives: readonly IntentScore[];
  /** True when the top two in-scope intents are too close to choose between: ask the seller. */
  readonly ambiguous: boolean;
  /**
   * True when the text names CXT or AliExpress, whatever the intent: an on-topic question that no
   * intent fits is one the article does not answer (say so and offer a human), not a misunderstanding.
   */
  readonly onTopic?: boolean;
}

/** The one interface dialogs route on. Synchronous, deterministic, no network. */
export interface Recognizer {
  recognize(text: string, locale: string): Recognition;
}
