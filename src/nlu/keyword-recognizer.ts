import type { Recognition, Recognizer } from './recognizer.js';

/** PLACEHOLDER until the real matcher lands (issue 3): everything is `none`. */
export class KeywordRecognizer implements Recognizer {
  recognize(_text: string, _locale: string): Recognition {
    return { intent: 'none', score: 0, alternatives: [], ambiguous: false };
  }
}
