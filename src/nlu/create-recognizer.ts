import { loadIntentMatcher } from './load-intent-matcher.js';
import type { Recognizer } from './recognizer.js';

/** The recognizer the product runs on: the intent matcher trained on the project's own data. */
export function createRecognizer(rootDir: string): Recognizer {
  return loadIntentMatcher(rootDir);
}
