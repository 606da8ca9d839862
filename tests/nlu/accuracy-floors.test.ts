import { describe, expect, it } from 'vitest';
import { crossValidate } from '../../src/nlu/cross-validate.js';
import { evaluateRecognizer } from '../../src/nlu/evaluate-recognizer.js';
import { loadIntentMatcher, readSplit } from '../../src/nlu/load-intent-matcher.js';
import { readUtteranceFile } from '../../src/nlu/utterance-file.js';
import { ROOT_DIR } from './nlu-test-root.js';

// Floors, not exact scores: the held-out split must stay above the targets with a little slack for data edits.
const FLOORS = { inScope: 0.95, outOfScope: 0.9, perLocale: 0.9 } as const;
/** The shared sample file, copied into the repository so that a clone without ../shared runs every test. */
const SHARED_SAMPLE = `${ROOT_DIR}/tests/fixtures/eval/sample-utterances.jsonl`;

describe('IntentMatcher accuracy on held-out data', () => {
  const matcher = loadIntentMatcher(ROOT_DIR);
  const recognize = (text: string, locale: string) => matcher.recognize(text, locale);

  it('loads the shipped precomputed model (run `npm run train:nlu` after editing training data or the lexicon)', () => {
    expect(matcher.modelSource).toBe('precomputed');
  });

  it('meets the targets on the project test split', () => {
    const report = evaluateRecognizer(recognize, readSplit(ROOT_DIR, 'test'));
    expect(report.total).toBeGreaterThanOrEqual(300);
    expect(report.inScopeAccuracy).toBeGreaterThanOrEqual(FLOORS.inScope);
    expect(report.outOfScopeRejection).toBeGreaterThanOrEqual(FLOORS.outOfScope);
    for (const locale of ['zh-CN', 'zh-TW', 'en']) expect(report.byLocale[locale]?.accuracy).toBeGreaterThanOrEqual(FLOORS.perLocale);
  });

  it('recognizes every intent somewhere in the test split (no intent silently lost)', () => {
    const report = evaluateRecognizer(recognize, readSplit(ROOT_DIR, 'test'));
    for (const stats of report.perIntent) expect(stats.recall, stats.intent).toBeGreaterThanOrEqual(0.8);
  });

  it('meets the targets on the shared sample file', () => {
    const report = evaluateRecognizer(recognize, readUtteranceFile(SHARED_SAMPLE));
    expect(report.inScopeAccuracy).toBeGreaterThanOrEqual(FLOORS.inScope);
    expect(report.outOfScopeRejection).toBeGreaterThanOrEqual(FLOORS.outOfScope);
  });

  it('generalizes: 5-fold cross-validation over all labelled rows stays above slightly lower floors', () => {
    const rows = [...readSplit(ROOT_DIR, 'train'), ...readSplit(ROOT_DIR, 'test')];
    const report = crossValidate(ROOT_DIR, rows);
    expect(report.total).toBe(rows.length);
    expect(report.inScopeAccuracy).toBeGreaterThanOrEqual(0.93);
    expect(report.outOfScopeRejection).toBeGreaterThanOrEqual(0.9);
  }, 60_000);

  it('a model trained at load time (no shipped file) scores as well', () => {
    const trained = loadIntentMatcher(ROOT_DIR, { forceTrain: true });
    expect(trained.modelSource).toBe('trained');
    const report = evaluateRecognizer((text, locale) => trained.recognize(text, locale), readSplit(ROOT_DIR, 'test'));
    expect(report.inScopeAccuracy).toBeGreaterThanOrEqual(FLOORS.inScope);
    expect(report.outOfScopeRejection).toBeGreaterThanOrEqual(FLOORS.outOfScope);
  });
});
