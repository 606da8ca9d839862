/**
 * `npm run bench:cues`: how fast the cue reader (`src/nlu/cues.ts`) reads a message, next to the intent matcher on the
 * same rows (every utterance of the train and test splits). Each utterance is timed 5 times after a warm-up pass and
 * the median kept, which filters out the moments a shared machine deschedules the process.
 */
import { createCueReader } from '../src/nlu/create-cue-reader.js';
import { loadIntentMatcher, readSplit } from '../src/nlu/load-intent-matcher.js';
import { findRootDir } from '../src/root-dir.js';

const rootDir = findRootDir(import.meta.dirname);
const texts = [...readSplit(rootDir, 'train'), ...readSplit(rootDir, 'test')].map((row) => ({ text: row.text, locale: row.locale }));

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** Median-of-5 latency per text, in ms: p50, p99, max. */
function time(read: (text: string, locale: string) => unknown): { p50: number; p99: number; max: number } {
  for (const { text, locale } of texts) read(text, locale);
  const medians = texts.map(({ text, locale }) => {
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      read(text, locale);
      runs.push(performance.now() - started);
    }
    return runs.sort((a, b) => a - b)[2]!;
  });
  medians.sort((a, b) => a - b);
  return { p50: percentile(medians, 50), p99: percentile(medians, 99), max: medians[medians.length - 1] ?? 0 };
}

const rssBefore = process.memoryUsage().rss;
let started = performance.now();
const reader = createCueReader(rootDir);
const cueLoadMs = performance.now() - started;
const cueRssMb = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
started = performance.now();
const matcher = loadIntentMatcher(rootDir);
const matcherLoadMs = performance.now() - started;

const fmt = (n: number): string => n.toFixed(3);
const cues = time((text, locale) => reader.read(text, locale));
const intents = time((text, locale) => matcher.recognize(text, locale));
console.log(`${texts.length} utterances (train + test splits), median of 5 timed calls each, after a warm-up pass\n`);
console.log('| reader | p50 ms | p99 ms | max ms | load ms |');
console.log('| --- | ---: | ---: | ---: | ---: |');
console.log(`| cue reader (aspects, stated facts, change kind, reply, upset) | ${fmt(cues.p50)} | ${fmt(cues.p99)} | ${fmt(cues.max)} | ${cueLoadMs.toFixed(0)} |`);
console.log(`| intent matcher | ${fmt(intents.p50)} | ${fmt(intents.p99)} | ${fmt(intents.max)} | ${matcherLoadMs.toFixed(0)} |`);
console.log(`\ncue reader RSS growth at load: ${cueRssMb.toFixed(1)} MB (includes the normalizer's tables)`);
