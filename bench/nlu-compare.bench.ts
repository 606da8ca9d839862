/**
 * `npm run bench:nlu`: our IntentMatcher vs NLP.js (`node-nlp` 4.x) trained on the SAME training split and scored on
 * the SAME held-out test split (plus the shared sample file). Each contender runs in its own child process so that
 * memory deltas are not mixed up; the parent prints one markdown table.
 * Columns: accuracy, in-scope accuracy, out-of-scope rejection, p50/p99 latency per utterance (after one warm-up
 * pass; each utterance timed 5 times, median kept), RSS and heap growth caused by loading/training, load (+ training) time including module import, and a
 * 5-fold cross-validation over train + test rows (each contender retrained per fold): the project's test split was
 * looked at during development, so the cross-validated figures are the fairer estimate for unseen phrasings.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabelledUtterance } from '../src/nlu/nlu-data.schema.js';
import type { Recognition } from '../src/nlu/recognizer.js';
import { findRootDir } from '../src/root-dir.js';

const rootDir = findRootDir(import.meta.dirname);
const SAMPLE = join(rootDir, 'tests', 'fixtures', 'eval', 'sample-utterances.jsonl');
const CONTENDERS = ['matcher', 'matcher-trained', 'node-nlp'] as const;
type Contender = (typeof CONTENDERS)[number];

interface WorkerResult {
  name: string;
  loadMs: number;
  rssMb: number;
  heapMb: number;
  test: { accuracy: number; inScope: number; oos: number; zhTW: number; en: number; p50: number; p99: number };
  sample: { accuracy: number; inScope: number; oos: number };
  cv: { accuracy: number; inScope: number; oos: number };
}

type AsyncRecognize = (text: string, locale: string) => Promise<Recognition> | Recognition;

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** Minimal view of node-nlp's NlpManager (the package ships no types). */
interface NlpManagerLike {
  addDocument(locale: string, utterance: string, intent: string): void;
  train(): Promise<void>;
  process(locale: string, utterance: string): Promise<{ intent: string; score: number }>;
}

async function build(name: Contender, train: readonly LabelledUtterance[], explicitRows = false): Promise<AsyncRecognize> {
  if (name === 'node-nlp') {
    const { NlpManager } = createRequire(import.meta.url)('node-nlp') as { NlpManager: new (settings: object) => NlpManagerLike };
    const manager = new NlpManager({ languages: ['zh', 'en'], forceNER: false, autoSave: false, nlu: { log: false } });
    const lang = (locale: string): string => (locale.startsWith('zh') ? 'zh' : 'en');
    for (const row of train) manager.addDocument(lang(row.locale), row.text, row.expect[0]!);
    await manager.train();
    return async (text, locale) => {
      const out = await manager.process(lang(locale), text);
      const intent = out.intent === 'None' ? 'none' : out.intent;
      return { intent: intent as Recognition['intent'], score: out.score, alternatives: [], ambiguous: false };
    };
  }
  const { loadIntentMatcher } = await import('../src/nlu/load-intent-matcher.js');
  const matcher = explicitRows
    ? loadIntentMatcher(rootDir, { trainingRows: train })
    : loadIntentMatcher(rootDir, { forceTrain: name === 'matcher-trained' });
  if (name === 'matcher' && matcher.modelSource !== 'precomputed') console.error('bench: shipped model is stale; run npm run train:nlu');
  return (text, locale) => matcher.recognize(text, locale);
}

/** Scores rows; each utterance's latency is the median of `timedRuns` calls (filters scheduler noise on a busy machine). */
async function score(recognize: AsyncRecognize, rows: readonly LabelledUtterance[], timedRuns = 1) {
  const latencies: number[] = [];
  const tally = { all: [0, 0], in: [0, 0], oos: [0, 0], 'zh-TW': [0, 0], en: [0, 0] } as Record<string, [number, number]>;
  for (const row of rows) {
    const runs: number[] = [];
    let result = await recognize(row.text, row.locale);
    for (let run = 0; run < timedRuns; run++) {
      const started = process.hrtime.bigint();
      result = await recognize(row.text, row.locale);
      runs.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    runs.sort((a, b) => a - b);
    latencies.push(runs[Math.floor(runs.length / 2)] ?? 0);
    const ok = row.expect.includes(result.intent) ? 1 : 0;
    const buckets = ['all', row.expect.includes('none') ? 'oos' : 'in', row.locale];
    for (const bucket of buckets) {
      const entry = tally[bucket];
      if (entry) {
        entry[0] += ok;
        entry[1] += 1;
      }
    }
  }
  latencies.sort((a, b) => a - b);
  const at = (p: number): number => latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)] ?? 0;
  const r = (key: string): number => (tally[key]![1] === 0 ? 1 : tally[key]![0] / tally[key]![1]);
  return { accuracy: r('all'), inScope: r('in'), oos: r('oos'), zhTW: r('zh-TW'), en: r('en'), p50: at(0.5), p99: at(0.99) };
}

/** Same deterministic 5 folds for every contender; rows with several acceptable intents train on the first. */
async function crossValidated(name: Contender, rows: readonly LabelledUtterance[]) {
  const folds = 5;
  const tally = { all: [0, 0], in: [0, 0], oos: [0, 0] };
  for (let fold = 0; fold < folds; fold++) {
    const train = rows.filter((_, i) => i % folds !== fold).map((row) => ({ ...row, expect: [row.expect[0]!] }));
    const heldOut = rows.filter((_, i) => i % folds === fold);
    const recognize = await build(name, train, true);
    for (const row of heldOut) {
      const ok = row.expect.includes((await recognize(row.text, row.locale)).intent) ? 1 : 0;
      for (const bucket of [tally.all, row.expect.includes('none') ? tally.oos : tally.in]) {
        bucket[0]! += ok;
        bucket[1]! += 1;
      }
    }
  }
  const r = ([hits, total]: number[]): number => hits! / total!;
  return { accuracy: r(tally.all), inScope: r(tally.in), oos: r(tally.oos) };
}

async function worker(name: Contender): Promise<void> {
  const { readSplit } = await import('../src/nlu/load-intent-matcher.js');
  const { readUtteranceFile } = await import('../src/nlu/utterance-file.js');
  const train = readSplit(rootDir, 'train');
  const test = readSplit(rootDir, 'test');
  const sample = readUtteranceFile(SAMPLE);
  gc();
  const before = process.memoryUsage();
  const started = performance.now();
  const recognize = await build(name, train);
  const loadMs = performance.now() - started;
  gc();
  const after = process.memoryUsage();
  await score(recognize, test); // warm-up pass: steady-state latency is what a running bot sees
  const testScores = await score(recognize, test, 5);
  const sampleScores = await score(recognize, sample);
  const cv = name === 'matcher-trained' ? { accuracy: NaN, inScope: NaN, oos: NaN } : await crossValidated(name, [...train, ...test]);
  const result: WorkerResult = {
    name,
    loadMs,
    rssMb: mb(after.rss - before.rss),
    heapMb: mb(after.heapUsed - before.heapUsed),
    test: testScores,
    sample: { accuracy: sampleScores.accuracy, inScope: sampleScores.inScope, oos: sampleScores.oos },
    cv,
  };
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
}

function parent(): void {
  const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;
  const cvPct = (v: number | null): string => (v === null || Number.isNaN(v) ? '(same as above)' : pct(v));
  const results: WorkerResult[] = [];
  for (const name of CONTENDERS) {
    const child = spawnSync(process.execPath, [...process.execArgv, '--expose-gc', fileURLToPath(import.meta.url), '--worker', name], {
      cwd: rootDir,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const line = child.stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
    if (!line) {
      console.error(`bench: ${name} failed\n${child.stderr}`);
      process.exitCode = 1;
      continue;
    }
    results.push(JSON.parse(line.slice('BENCH_RESULT '.length)) as WorkerResult);
  }
  const labels: Record<string, string> = {
    matcher: 'IntentMatcher (shipped precomputed model)',
    'matcher-trained': 'IntentMatcher (trained at load)',
    'node-nlp': 'node-nlp 4.27 NlpManager (zh+en)',
  };
  console.log(`Training rows: same file for all (locales/*/utterances.train.jsonl); test: locales/*/utterances.test.jsonl; sample: tests/fixtures/eval/sample-utterances.jsonl\n`);
  console.log('| recognizer | test acc. | in-scope | OOS rejection | zh-TW | en | sample acc. | 5-fold CV in-scope | 5-fold CV OOS rej. | p50 ms | p99 ms | RSS +MB | heap +MB | load+train ms |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    console.log(
      `| ${labels[r.name] ?? r.name} | ${pct(r.test.accuracy)} | ${pct(r.test.inScope)} | ${pct(r.test.oos)} | ${pct(r.test.zhTW)} | ${pct(r.test.en)} | ${pct(r.sample.accuracy)} | ${cvPct(r.cv.inScope)} | ${cvPct(r.cv.oos)} | ${r.test.p50.toFixed(3)} | ${r.test.p99.toFixed(3)} | ${r.rssMb} | ${r.heapMb} | ${r.loadMs.toFixed(0)} |`,
    );
  }
  const ours = results.find((r) => r.name === 'matcher');
  const baseline = results.find((r) => r.name === 'node-nlp');
  if (ours && baseline) {
    console.log(
      `\nRatios (node-nlp / IntentMatcher): p50 latency x${(baseline.test.p50 / ours.test.p50).toFixed(1)}, p99 latency x${(baseline.test.p99 / ours.test.p99).toFixed(1)}, ` +
        `load x${(baseline.loadMs / ours.loadMs).toFixed(1)}, RSS x${(baseline.rssMb / Math.max(ours.rssMb, 0.1)).toFixed(1)}; ` +
        `errors on the test split: ${Math.round((1 - baseline.test.accuracy) * 1000) / 10}% vs ${Math.round((1 - ours.test.accuracy) * 1000) / 10}%`,
    );
  }
}

const workerIndex = process.argv.indexOf('--worker');
if (workerIndex >= 0) {
  worker(process.argv[workerIndex + 1] as Contender).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
} else {
  parent();
}
