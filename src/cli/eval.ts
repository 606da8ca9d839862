/**
 * `npm run eval -- [file ...]`: scores the intent matcher on labelled JSONL files
 * (default: the project's own test split, locales/<zh-CN|zh-TW|en>/utterances.test.jsonl).
 * Several files are also scored together (e.g. the three `locales/<lng>/utterances.heldout.jsonl`).
 * `npm run eval -- --cv` adds a 5-fold cross-validation over training and test rows together.
 * Exit code 0 when the files were scored, 1 on a bad file; the targets are checked by tests, not here.
 */
import { resolve } from 'node:path';
import { loadIntentMatcher, readSplit } from '../nlu/load-intent-matcher.js';
import { evaluateRecognizer, formatReport } from '../nlu/evaluate-recognizer.js';
import { readUtteranceFile } from '../nlu/utterance-file.js';
import { crossValidate } from '../nlu/cross-validate.js';
import { findRootDir } from '../root-dir.js';

const rootDir = findRootDir(import.meta.dirname);

function main(args: readonly string[]): void {
  const files = args.filter((arg) => arg !== '--cv');
  const started = performance.now();
  const matcher = loadIntentMatcher(rootDir);
  const loadMs = performance.now() - started;
  const targets = files.length > 0 ? files.map((file) => ({ title: file, rows: readUtteranceFile(resolve(file)) })) : [{ title: 'test split (locales/*/utterances.test.jsonl)', rows: readSplit(rootDir, 'test') }];
  console.log(`matcher ready in ${loadMs.toFixed(1)} ms (${matcher.modelSource === 'precomputed' ? 'shipped precomputed model' : 'trained at load: shipped model missing or stale, run npm run train:nlu'})`);
  for (const target of targets) {
    // One untimed pass first: latency is reported for a warmed-up process, as a running bot is.
    for (const row of target.rows) matcher.recognize(row.text, row.locale);
    console.log(`\n${formatReport(evaluateRecognizer((text, locale) => matcher.recognize(text, locale), target.rows, 5), target.title)}`);
  }
  if (targets.length > 1) {
    const rows = targets.flatMap((target) => target.rows);
    console.log(`\n${formatReport(evaluateRecognizer((text, locale) => matcher.recognize(text, locale), rows, 5), `all ${targets.length} files together`)}`);
  }
  if (args.includes('--cv')) {
    const rows = [...readSplit(rootDir, 'train'), ...readSplit(rootDir, 'test')];
    console.log(`\n${formatReport(crossValidate(rootDir, rows), `5-fold cross-validation over train + test (${rows.length} rows, retrained per fold)`)}`);
  }
}

try {
  main(process.argv.slice(2));
} catch (error) {
  console.error(`eval: ${(error as Error).message}`);
  process.exitCode = 1;
}
