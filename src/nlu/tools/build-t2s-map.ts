/**
 * Regenerates `locales/nlu/t2s-chars.json`, the Traditional -> Simplified character map the normalizer ships with.
 * Run by hand after upgrading opencc-js: `npx tsx src/nlu/tools/build-t2s-map.ts`.
 * Why a generated file rather than opencc-js at run time: a flat character map loads in about a millisecond,
 * is deterministic, and keeps the dev-only package out of production.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as OpenCC from 'opencc-js';
import { findRootDir } from '../../root-dir.js';

// The package's export map hides the raw dictionaries, so read them from its folder.
const dictDir = join(dirname(createRequire(import.meta.url).resolve('opencc-js')), '..', 'esm-lib', 'dict');
const readDict = (name: string): string =>
  JSON.parse(readFileSync(join(dictDir, `${name}.js`), 'utf8').replace(/^export default /, '').replace(/;\s*$/, '')) as string;

const outFile = join(findRootDir(import.meta.dirname), 'locales', 'nlu', 't2s-chars.json');
const convert = OpenCC.Converter({ from: 'tw', to: 'cn' });

const keysOf = (name: string): Set<string> =>
  new Set(readDict(name).split('|').map((entry) => entry.split(' ')[0] ?? '').filter((from) => Array.from(from).length === 1));
const traditional = keysOf('TSCharacters');
// Characters that are themselves Simplified (keys of the S->T dictionary) must not be rewritten by the
// regional-variant tables: e.g. TWVariantsRev maps U+4E48 to U+5E7A, which would corrupt every common "how" word.
const simplified = keysOf('STCharacters');
const sources = new Set<string>(traditional);
for (const name of ['TWVariantsRev', 'HKVariantsRev']) {
  for (const char of keysOf(name)) if (!simplified.has(char)) sources.add(char);
}

const map: Record<string, string> = {};
for (const char of [...sources].sort()) {
  const simplified = convert(char);
  if (simplified !== char && Array.from(simplified).length === 1) map[char] = simplified;
}
const entries = Object.entries(map);
const file = {
  source: 'opencc-js 1.4.2 (tw -> cn, per character)',
  traditional: entries.map(([from]) => from).join(''),
  simplified: entries.map(([, to]) => to).join(''),
};
writeFileSync(outFile, `${JSON.stringify(file)}\n`);
console.log(`build-t2s-map: ${Object.keys(map).length} characters -> ${outFile}`);
