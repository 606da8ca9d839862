import { z } from 'zod';
import { INTENT_IDS } from './intents.js';

/** Validates that a string compiles as a JavaScript regular expression. */
const regexSource = z.string().min(1).refine(
  (source) => {
    try {
      new RegExp(source, 'u');
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a valid regular expression' },
);

/** One alias group: every pattern is rewritten to the group's upper-case token (e.g. all CXT spellings -> `CXT`). */
export const aliasGroupSchema = z.object({
  token: z.string().regex(/^[A-Z]{2,12}$/, 'token must be 2-12 upper-case ASCII letters'),
  patterns: z.array(regexSource).min(1),
});

/** A concept: a language-neutral feature (`#close`) fired when any pattern matches the normalized text. */
export const conceptSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'concept id must be lower_snake_case'),
  patterns: z.array(regexSource).min(1),
});

/** `locales/nlu/lexicon.json`: hand-written normalization rules and concept features. */
export const lexiconSchema = z.object({
  /** Plain string replacements applied after Traditional->Simplified mapping (variant characters, common typos). */
  replacements: z.array(z.tuple([z.string().min(1), z.string()])),
  aliases: z.array(aliasGroupSchema).min(1),
  /** Filler words removed after alias rewriting (regex sources). */
  fillers: z.array(regexSource),
  /** English words that carry no intent; dropped before features. */
  stopwords: z.array(z.string().regex(/^[a-z0-9']+$/)),
  concepts: z.array(conceptSchema),
  /**
   * Topic anchors: feature names (`u:CXT`, `#store`, ...) of which a question must contain at least one to be
   * answered with a topical intent (scenario/faq/risk/relationship). "Close the window" has `#close` but no anchor.
   */
  anchors: z.array(z.string().regex(/^(u:|b:|t:|#)\S+$/, 'anchor must be a feature name like u:CXT or #store')).default([]),
  /**
   * Features that name another platform or app (`u:OTHERSHOP`): a question with one of them and neither product token
   * (`u:CXT`, `u:AE`) is about that other platform ("change the legal rep of my JD store"), so no topical intent fits.
   */
  foreignTopics: z.array(z.string().regex(/^(u:|b:|t:|#)\S+$/, 'foreign topic must be a feature name like u:OTHERSHOP')).default([]),
});
export type Lexicon = z.infer<typeof lexiconSchema>;

/**
 * `locales/nlu/t2s-chars.json`: Traditional -> Simplified, one character to one character, as two strings of equal
 * length in characters (the i-th character of `traditional` maps to the i-th of `simplified`). Two flat strings
 * parse and validate in well under a millisecond, unlike a 3,000-key object.
 */
export const charMapSchema = z
  .object({
    source: z.string(),
    traditional: z.string(),
    simplified: z.string(),
  })
  .refine((map) => Array.from(map.traditional).length === Array.from(map.simplified).length, {
    message: 'traditional and simplified must have exactly one character for each character',
    path: ['simplified'],
  });
export type CharMap = z.infer<typeof charMapSchema>;

/** One labelled utterance row: `{"text","locale","expect":[acceptable intent ids]}`. */
export const utteranceSchema = z.object({
  text: z.string().min(1).max(500),
  locale: z.string().min(2).max(20),
  expect: z.array(z.enum(INTENT_IDS)).min(1),
});
export type LabelledUtterance = z.infer<typeof utteranceSchema>;
