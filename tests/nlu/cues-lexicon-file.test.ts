import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCueReader, cueLexiconPath } from '../../src/nlu/create-cue-reader.js';
import { NluDataError } from '../../src/nlu/nlu-data-error.js';
import { ROOT_DIR } from './nlu-test-root.js';

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temp root holding a copy of locales/nlu, with cues.json changed by `edit`. */
function rootWith(edit: (lexicon: Record<string, unknown>) => unknown): string {
  const root = mkdtempSync(join(tmpdir(), 'cues-'));
  temps.push(root);
  mkdirSync(join(root, 'locales'));
  cpSync(join(ROOT_DIR, 'locales', 'nlu'), join(root, 'locales', 'nlu'), { recursive: true });
  const lexicon = JSON.parse(readFileSync(cueLexiconPath(ROOT_DIR), 'utf8')) as Record<string, unknown>;
  writeFileSync(cueLexiconPath(root), typeof edit === 'function' ? JSON.stringify(edit(lexicon)) : '');
  return root;
}

function errorOf(fn: () => unknown): NluDataError {
  try {
    fn();
  } catch (error) {
    if (error instanceof NluDataError) return error;
    throw error;
  }
  throw new Error('expected an NluDataError');
}

describe('locales/nlu/cues.json', () => {
  it('the shipped file loads and reads a message', () => {
    expect(createCueReader(ROOT_DIR).read('关店要多久', 'zh-CN').aspects).toEqual(['duration']);
  });

  it('a missing file stops with NLU_FILE_MISSING', () => {
    const root = rootWith((lexicon) => lexicon);
    rmSync(cueLexiconPath(root));
    expect(errorOf(() => createCueReader(root)).code).toBe('NLU_FILE_MISSING');
  });

  it('an aspect without words is reported by name', () => {
    const root = rootWith((lexicon) => ({ ...lexicon, aspects: (lexicon.aspects as Array<{ id: string }>).filter((a) => a.id !== 'who') }));
    const error = errorOf(() => createCueReader(root));
    expect(error.code).toBe('NLU_FILE_INVALID');
    expect(error.message).toContain('aspect who');
  });

  it('an unknown fact id is rejected', () => {
    const root = rootWith((lexicon) => ({ ...lexicon, stated: [...(lexicon.stated as unknown[]), { fact: 'store_sold', affirm: ['x'], deny: ['y'] }] }));
    expect(errorOf(() => createCueReader(root)).message).toMatch(/stated/);
  });

  it('a broken regular expression is reported with where it is', () => {
    const root = rootWith((lexicon) => ({ ...lexicon, upset: ['(unclosed'] }));
    const error = errorOf(() => createCueReader(root));
    expect(error.code).toBe('NLU_FILE_INVALID');
    expect(error.message).toContain('upset[0]');
  });

  it('an unknown macro is reported instead of matching a literal brace', () => {
    const root = rootWith((lexicon) => ({ ...lexicon, negationBefore: '{NOPE}' }));
    expect(errorOf(() => createCueReader(root)).message).toContain('unknown macro {NOPE}');
  });

  it('a file that is not JSON stops with NLU_FILE_INVALID_JSON', () => {
    const root = rootWith((lexicon) => lexicon);
    writeFileSync(cueLexiconPath(root), '{ not json');
    expect(errorOf(() => createCueReader(root)).code).toBe('NLU_FILE_INVALID_JSON');
  });
});
