import type { IntentId } from './intents.js';
import type { LabelledUtterance } from './nlu-data.schema.js';
import type { Recognition } from './recognizer.js';

/** Anything that recognizes one utterance (our matcher, or a baseline wrapped for comparison). */
export type RecognizeFn = (text: string, locale: string) => Recognition;

/** Precision/recall of one intent over an evaluation file. */
export interface IntentStats {
  readonly intent: string;
  readonly support: number;
  readonly predicted: number;
  readonly precision: number;
  readonly recall: number;
}

/** One wrong answer, kept for the confusion listing. */
export interface Miss {
  readonly text: string;
  readonly locale: string;
  readonly expect: readonly IntentId[];
  readonly got: IntentId;
  readonly score: number;
}

/** The scores `npm run eval` prints; all ratios are 0..1. */
export interface EvaluationReport {
  readonly total: number;
  readonly accuracy: number;
  /** Accuracy over rows whose acceptable answers are all in scope. */
  readonly inScopeAccuracy: number;
  /** Share of `none` rows answered `none`. */
  readonly outOfScopeRejection: number;
  /** Accuracy per row locale (zh-CN, zh-TW, en, ...). */
  readonly byLocale: Readonly<Record<string, { total: number; accuracy: number }>>;
  readonly perIntent: readonly IntentStats[];
  /** `expected -> got` pairs with their counts, most frequent first. */
  readonly confusions: ReadonlyArray<{ expected: string; got: string; count: number }>;
  readonly misses: readonly Miss[];
  readonly ambiguousCount: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number; readonly timedRuns: number };
}

const ratio = (hits: number, total: number): number => (total === 0 ? 1 : hits / total);

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Runs every row through `recognize`, timing each call, and scores the answers.
 * `timedRuns` > 1 times each utterance that many times and keeps the median, which filters out the moments the
 * process was descheduled on a busy machine (the answer is scored once; recognizers are deterministic).
 */
export function evaluateRecognizer(recognize: RecognizeFn, rows: readonly LabelledUtterance[], timedRuns = 1): EvaluationReport {
  const latencies: number[] = [];
  const misses: Miss[] = [];
  const perIntent = new Map<string, { support: number; predicted: number; hits: number }>();
  const stats = (intent: string) => {
    let entry = perIntent.get(intent);
    if (!entry) perIntent.set(intent, (entry = { support: 0, predicted: 0, hits: 0 }));
    return entry;
  };
  const locales = new Map<string, { total: number; hits: number }>();
  const confusions = new Map<string, number>();
  let hits = 0;
  let inScope = 0;
  let inScopeHits = 0;
  let negatives = 0;
  let rejected = 0;
  let ambiguousCount = 0;

  for (const row of rows) {
    const runs: number[] = [];
    let result = recognize(row.text, row.locale);
    for (let run = 0; run < timedRuns; run++) {
      const started = process.hrtime.bigint();
      result = recognize(row.text, row.locale);
      runs.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    runs.sort((a, b) => a - b);
    latencies.push(runs[Math.floor(runs.length / 2)] ?? 0);
    const ok = row.expect.includes(result.intent);
    if (result.ambiguous) ambiguousCount++;
    const primary = ok ? result.intent : row.expect[0]!;
    stats(primary).support++;
    stats(result.intent).predicted++;
    if (ok) {
      hits++;
      stats(result.intent).hits++;
    } else {
      misses.push({ text: row.text, locale: row.locale, expect: row.expect, got: result.intent, score: result.score });
      const key = `${row.expect.join('|')} -> ${result.intent}`;
      confusions.set(key, (confusions.get(key) ?? 0) + 1);
    }
    if (row.expect.includes('none')) {
      negatives++;
      if (result.intent === 'none') rejected++;
    } else {
      inScope++;
      if (ok) inScopeHits++;
    }
    const locale = locales.get(row.locale) ?? { total: 0, hits: 0 };
    locale.total++;
    if (ok) locale.hits++;
    locales.set(row.locale, locale);
  }

  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    total: rows.length,
    accuracy: ratio(hits, rows.length),
    inScopeAccuracy: ratio(inScopeHits, inScope),
    outOfScopeRejection: ratio(rejected, negatives),
    byLocale: Object.fromEntries([...locales].map(([locale, s]) => [locale, { total: s.total, accuracy: ratio(s.hits, s.total) }])),
    perIntent: [...perIntent]
      .map(([intent, s]) => ({ intent, support: s.support, predicted: s.predicted, precision: ratio(s.hits, s.predicted), recall: ratio(s.hits, s.support) }))
      .sort((a, b) => a.intent.localeCompare(b.intent)),
    confusions: [...confusions].map(([key, count]) => {
      const [expected = '', got = ''] = key.split(' -> ');
      return { expected, got, count };
    }).sort((a, b) => b.count - a.count || a.expected.localeCompare(b.expected)),
    misses,
    ambiguousCount,
    latencyMs: { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? 0, timedRuns },
  };
}

const pct = (value: number): string => `${(value * 100).toFixed(1)}%`;

/** Plain-text rendering of a report, for the `eval` command. */
export function formatReport(report: EvaluationReport, title: string): string {
  const lines = [
    `# ${title}`,
    `rows: ${report.total}`,
    `overall accuracy:        ${pct(report.accuracy)}`,
    `in-scope accuracy:       ${pct(report.inScopeAccuracy)}`,
    `out-of-scope rejection:  ${pct(report.outOfScopeRejection)}`,
    `by locale:               ${Object.entries(report.byLocale).map(([l, s]) => `${l} ${pct(s.accuracy)} (${s.total})`).join(', ')}`,
    `ambiguous answers:       ${report.ambiguousCount}`,
    `latency ms:              p50 ${report.latencyMs.p50.toFixed(3)}, p99 ${report.latencyMs.p99.toFixed(3)}, max ${report.latencyMs.max.toFixed(3)}` +
      (report.latencyMs.timedRuns > 1 ? ` (per utterance: median of ${report.latencyMs.timedRuns} timed calls, after a warm-up pass)` : ''),
    '',
    '| intent | support | predicted | precision | recall |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...report.perIntent.map((s) => `| ${s.intent} | ${s.support} | ${s.predicted} | ${pct(s.precision)} | ${pct(s.recall)} |`),
    '',
    'confusions (expected -> got: count):',
    ...(report.confusions.length === 0 ? ['  (none)'] : report.confusions.map((c) => `  ${c.expected} -> ${c.got}: ${c.count}`)),
    '',
    'misses:',
    ...(report.misses.length === 0 ? ['  (none)'] : report.misses.map((m) => `  [${m.locale}] ${m.text}  expected ${m.expect.join('|')}, got ${m.got} (${m.score})`)),
  ];
  return lines.join('\n');
}
