import { evaluateRecognizer, type EvaluationReport } from './evaluate-recognizer.js';
import { loadIntentMatcher } from './load-intent-matcher.js';
import type { LabelledUtterance } from './nlu-data.schema.js';

/**
 * k-fold cross-validation over labelled rows (deterministic fold assignment): trains a fresh matcher on k-1 folds,
 * scores the held-out fold, and scores all held-out answers together. An honest estimate for phrasings the
 * model has never seen, complementary to the fixed test split. Rows with several acceptable intents train on the first.
 */
export function crossValidate(rootDir: string, rows: readonly LabelledUtterance[], folds = 5): EvaluationReport {
  const order = rows.map((_, i) => i);
  let seed = 42;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = order[i]!;
    order[i] = order[j]!;
    order[j] = swap;
  }
  const foldOf = new Map(order.map((rowIndex, position) => [rowIndex, position % folds]));
  const matchers = Array.from({ length: folds }, (_, fold) =>
    loadIntentMatcher(rootDir, {
      trainingRows: rows.filter((_, i) => foldOf.get(i) !== fold).map((row) => ({ ...row, expect: [row.expect[0]!] })),
    }),
  );
  // The callback only sees text and locale, so find the row's fold by them (a duplicated text keeps its first fold).
  const foldByText = new Map<string, number>();
  rows.forEach((row, i) => {
    const key = `${row.locale}\u0000${row.text}`;
    if (!foldByText.has(key)) foldByText.set(key, foldOf.get(i)!);
  });
  return evaluateRecognizer((text, locale) => matchers[foldByText.get(`${locale}\u0000${text}`) ?? 0]!.recognize(text, locale), rows);
}
