import { mkdtempSync, mkdirSync, cpSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadIntentMatcher, NLU_DATA_LOCALES, nluPaths, readJsonDataFile, readSplit } from '../../src/nlu/load-intent-matcher.js';
import { NluDataError } from '../../src/nlu/nlu-data-error.js';
import { charMapSchema, lexiconSchema } from '../../src/nlu/nlu-data.schema.js';
import { parseUtteranceLines, readUtteranceFile } from '../../src/nlu/utterance-file.js';
import { INTENT_IDS } from '../../src/nlu/intents.js';
import { ROOT_DIR } from './nlu-test-root.js';

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the NLU data files in a temp root, to break one of them. */
function copyRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'nlu-data-'));
  temps.push(root);
  mkdirSync(join(root, 'locales'));
  cpSync(join(ROOT_DIR, 'locales', 'nlu'), join(root, 'locales', 'nlu'), { recursive: true });
  for (const locale of NLU_DATA_LOCALES) {
    mkdirSync(join(root, 'locales', locale));
    cpSync(nluPaths.split(ROOT_DIR, locale, 'train'), nluPaths.split(root, locale, 'train'));
  }
  return root;
}

const errorOf = (fn: () => unknown): NluDataError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof NluDataError) return error;
    throw error;
  }
  throw new Error('expected an NluDataError');
};

describe('NLU data files', () => {
  it('the shipped files are valid and cover every intent in every locale of the training split', () => {
    expect(() => readJsonDataFile(nluPaths.lexicon(ROOT_DIR), lexiconSchema)).not.toThrow();
    expect(() => readJsonDataFile(nluPaths.charMap(ROOT_DIR), charMapSchema)).not.toThrow();
    for (const locale of NLU_DATA_LOCALES) {
      const rows = readUtteranceFile(nluPaths.split(ROOT_DIR, locale, 'train'));
      const intents = new Set(rows.map((row) => row.expect[0]));
      for (const intent of INTENT_IDS) expect(intents.has(intent), `${locale} ${intent}`).toBe(true);
      expect(rows.every((row) => row.locale === locale)).toBe(true);
    }
  });

  it('the test split is held out: no test utterance appears in the training split', () => {
    const train = new Set(readSplit(ROOT_DIR, 'train').map((row) => row.text.trim().toLowerCase()));
    const leaked = readSplit(ROOT_DIR, 'test').filter((row) => train.has(row.text.trim().toLowerCase()));
    expect(leaked.map((row) => row.text)).toEqual([]);
  });

  it('the fresh held-out set is valid, large enough, and shares no utterance with the training split', () => {
    const train = new Set(readSplit(ROOT_DIR, 'train').map((row) => row.text.trim().toLowerCase()));
    const heldOut = NLU_DATA_LOCALES.flatMap((locale) => readUtteranceFile(join(ROOT_DIR, 'locales', locale, 'utterances.heldout.jsonl')));
    expect(heldOut.length).toBeGreaterThanOrEqual(150);
    expect(heldOut.filter((row) => row.expect.includes('none')).length).toBeGreaterThanOrEqual(30);
    expect(heldOut.filter((row) => train.has(row.text.trim().toLowerCase())).map((row) => row.text)).toEqual([]);
  });

  it('reports a line that is not JSON with its line number', () => {
    const error = errorOf(() => parseUtteranceLines('{"text":"a","locale":"en","expect":["none"]}\n{oops', 'x.jsonl'));
    expect(error.code).toBe('NLU_FILE_INVALID_JSON');
    expect(error.message).toContain('x.jsonl:2');
  });

  it('rejects an unknown intent id and an empty expect list', () => {
    expect(errorOf(() => parseUtteranceLines('{"text":"a","locale":"en","expect":["faq.nope"]}', 'x.jsonl')).code).toBe('NLU_FILE_INVALID');
    expect(errorOf(() => parseUtteranceLines('{"text":"a","locale":"en","expect":[]}', 'x.jsonl')).message).toContain('expect');
  });

  it('rejects a training row with two expected intents', () => {
    const root = copyRoot();
    writeFileSync(nluPaths.split(root, 'en', 'train'), '{"text":"a","locale":"en","expect":["none","help.menu"]}\n');
    expect(errorOf(() => loadIntentMatcher(root, { forceTrain: true })).message).toContain('exactly one');
  });

  it('rejects a lexicon with an invalid regular expression', () => {
    const root = copyRoot();
    const lexicon = readJsonDataFile(nluPaths.lexicon(root), lexiconSchema);
    writeFileSync(nluPaths.lexicon(root), JSON.stringify({ ...lexicon, fillers: ['(unclosed'] }));
    const error = errorOf(() => loadIntentMatcher(root));
    expect(error.code).toBe('NLU_FILE_INVALID');
    expect(error.message).toContain('fillers');
  });

  it('rejects an anchor that is not a feature name', () => {
    const root = copyRoot();
    const lexicon = readJsonDataFile(nluPaths.lexicon(root), lexiconSchema);
    writeFileSync(nluPaths.lexicon(root), JSON.stringify({ ...lexicon, anchors: ['CXT'] }));
    expect(errorOf(() => loadIntentMatcher(root)).message).toContain('anchors');
  });

  it('rejects a character map entry that is not one character to one character', () => {
    const root = copyRoot();
    writeFileSync(nluPaths.charMap(root), JSON.stringify({ source: 't', traditional: '誠信', simplified: '诚' }));
    expect(errorOf(() => loadIntentMatcher(root)).message).toContain('exactly one character');
  });

  it('reports a missing data file', () => {
    const root = copyRoot();
    rmSync(nluPaths.lexicon(root));
    expect(errorOf(() => loadIntentMatcher(root)).code).toBe('NLU_FILE_MISSING');
  });

  it('ignores a stale shipped model and trains instead', () => {
    const root = copyRoot();
    writeFileSync(nluPaths.split(root, 'en', 'train'), '{"text":"bye now","locale":"en","expect":["chitchat.goodbye"]}\n', { flag: 'a' });
    const matcher = loadIntentMatcher(root);
    expect(matcher.modelSource).toBe('trained');
  });

  it('rejects a corrupt model file', () => {
    const root = copyRoot();
    writeFileSync(nluPaths.model(root), JSON.stringify({ format: 'x', fingerprint: 'y' }));
    expect(errorOf(() => loadIntentMatcher(root)).code).toBe('NLU_FILE_INVALID');
  });
});
