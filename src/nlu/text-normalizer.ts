import type { CharMap, Lexicon } from './nlu-data.schema.js';

/** A compiled alias group: every spelling of one thing becomes one upper-case token. */
interface CompiledAlias {
  readonly token: string;
  readonly pattern: RegExp;
}

// Anything that is not a Han character, an ASCII letter/digit or whitespace is noise here (punctuation, emoji, symbols).
const NOISE = /[^\p{Script=Han}a-zA-Z0-9\s]+/gu;
// Apostrophes inside English words are dropped rather than split ("don't" -> "dont").
const APOSTROPHE = /(?<=[a-z])['\u2019](?=[a-z])/gu;

/** Builds one alternation, longest source first, so a longer alias wins over its own prefix. */
function alternation(sources: readonly string[], flags: string): RegExp {
  const ordered = [...sources].sort((a, b) => b.length - a.length);
  return new RegExp(ordered.map((source) => `(?:${source})`).join('|'), flags);
}

/**
 * Step 1 of the pipeline: turns raw seller text into a canonical string.
 * Full-width -> half-width (NFKC), lower case, Traditional -> Simplified per character, variant/typo replacements,
 * aliases -> upper-case tokens (`CXT`, `AE`, ...), fillers and punctuation/emoji removed, whitespace collapsed.
 * Upper case is reserved for alias tokens: user text is lower-cased before they are inserted, so they cannot collide.
 */
export class TextNormalizer {
  private readonly chars: ReadonlyMap<string, string>;
  private readonly replacements: ReadonlyArray<readonly [string, string]>;
  private readonly aliases: readonly CompiledAlias[];
  private readonly filler: RegExp | undefined;

  constructor(lexicon: Lexicon, charMap: CharMap) {
    const simplified = Array.from(charMap.simplified);
    this.chars = new Map(Array.from(charMap.traditional, (char, i) => [char, simplified[i]!]));
    this.replacements = lexicon.replacements;
    this.aliases = lexicon.aliases.map((group) => ({ token: group.token, pattern: alternation(group.patterns, 'gu') }));
    this.filler = lexicon.fillers.length > 0 ? alternation(lexicon.fillers, 'gu') : undefined;
  }

  /** The canonical form used for features; see the class comment for the steps. */
  normalize(text: string): string {
    let out = this.canonicalCharacters(text).replace(APOSTROPHE, '');
    for (const alias of this.aliases) out = out.replace(alias.pattern, ` ${alias.token} `);
    if (this.filler) out = out.replace(this.filler, ' ');
    return out.replace(NOISE, ' ').replace(/\s+/gu, ' ').trim();
  }

  /**
   * The first steps of {@link normalize} only: full-width -> half-width (NFKC), lower case, Traditional -> Simplified,
   * variant/typo replacements. Punctuation, fillers and apostrophes are kept, for readers that need them (is it a
   * question? a bare "mm" as a yes?).
   */
  canonicalCharacters(text: string): string {
    let out = this.toSimplified(text.normalize('NFKC').toLowerCase());
    for (const [from, to] of this.replacements) out = out.split(from).join(to);
    return out;
  }

  /** Traditional -> Simplified, character by character (phrase-level differences do not matter for matching). */
  toSimplified(text: string): string {
    let out = '';
    for (const char of text) out += this.chars.get(char) ?? char;
    return out;
  }
}
