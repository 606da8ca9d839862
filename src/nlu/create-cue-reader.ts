import { join } from 'node:path';
import { cueLexiconSchema } from './cue-lexicon.schema.js';
import type { CueReader } from './cues.js';
import { LexiconCueReader } from './lexicon-cue-reader.js';
import { nluPaths, readJsonDataFile } from './load-intent-matcher.js';
import { charMapSchema, lexiconSchema } from './nlu-data.schema.js';
import { TextNormalizer } from './text-normalizer.js';

/** Where the cue reader's lexicon lives, relative to the repository root. */
export const cueLexiconPath = (rootDir: string): string => join(rootDir, 'locales', 'nlu', 'cues.json');

/**
 * Builds the cue reader from the data files under `rootDir` (the repository root): `locales/nlu/cues.json` for its
 * words, and the matcher's `lexicon.json` + `t2s-chars.json` for the same text normalizer (full/half width,
 * Traditional -> Simplified, typo fixes, CXT/AliExpress aliases). Every file is validated with zod; a bad file throws
 * {@link NluDataError} naming the file and the broken entry.
 */
export function createCueReader(rootDir: string): CueReader {
  const normalizer = new TextNormalizer(readJsonDataFile(nluPaths.lexicon(rootDir), lexiconSchema), readJsonDataFile(nluPaths.charMap(rootDir), charMapSchema));
  const path = cueLexiconPath(rootDir);
  return new LexiconCueReader(normalizer, readJsonDataFile(path, cueLexiconSchema), path);
}
