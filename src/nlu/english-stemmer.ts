const VOWEL = /[aeiouy]/;

/** Collapses a doubled final consonant left by suffix removal (`stopp` -> `stop`, `shutt` -> `shut`). */
function undouble(word: string): string {
  const last = word.at(-1);
  if (word.length > 3 && last === word.at(-2) && last !== undefined && !VOWEL.test(last) && !'lsz'.includes(last)) {
    return word.slice(0, -1);
  }
  return word;
}

/**
 * A deliberately small stemmer ("stemming-lite"): plural, -ing, -ed and a final -e, so that
 * close/closes/closed/closing all become `clos`. Consistency between training and input is what matters,
 * not linguistic correctness.
 */
export function stemEnglish(word: string): string {
  let w = word;
  if (w.length <= 3 || /\d/.test(w)) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith('ing') && w.length > 5 && VOWEL.test(w.slice(0, -3))) w = undouble(w.slice(0, -3));
  else if (w.endsWith('ed') && w.length > 4 && VOWEL.test(w.slice(0, -2))) w = undouble(w.slice(0, -2));
  if (w.endsWith('e') && w.length > 3) w = w.slice(0, -1);
  return w;
}
