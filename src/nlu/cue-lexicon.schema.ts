import { z } from 'zod';
import { ASPECT_IDS, STATED_FACT_IDS } from './cues.js';

/**
 * `locales/nlu/cues.json`: the words behind the cue reader. Patterns are regular-expression sources that may use
 * `{MACRO}` placeholders (shared pieces such as "already" or a negator), expanded before they are compiled, so each
 * fact reads as a short phrase shape instead of the same alternation pasted twenty times.
 */
const pattern = z.string().min(1);
const patterns = z.array(pattern);

export const cueLexiconSchema = z
  .object({
    /** Named pattern pieces, used as `{NAME}` inside any other pattern. */
    macros: z.record(z.string().regex(/^[A-Z0-9]+$/, 'macro names are upper-case letters and digits'), z.string()),
    /** Tested on the text just before a stated-fact match: a negator there flips the value ("not" + "cleared"). */
    negationBefore: pattern,
    /** Tested inside an affirmative English match ("inventory is not cleared"): flips the value. */
    negationInside: pattern,
    /** Tested on the text just before a stated-fact match: "if", "want to", "how to" make it no statement at all. */
    hypotheticalBefore: pattern,
    /** Per aspect: patterns, and weak ones that count only when no aspect matched a strong pattern. */
    aspects: z.array(z.object({ id: z.enum(ASPECT_IDS), patterns: patterns.min(1), weak: patterns.default([]) })),
    /** Per fact: shapes that state it as done/so (`affirm`) or as not done/not so (`deny`). */
    stated: z.array(z.object({ fact: z.enum(STATED_FACT_IDS), affirm: patterns.min(1), deny: patterns.min(1) })),
    /** Registration items; one counts when a change verb is in the same clause. */
    changeKinds: z.array(z.object({ kind: z.enum(['legal_rep', 'name', 'address']), patterns: patterns.min(1) })),
    changeVerbs: patterns.min(1),
    /** "Everything changed", "several items": the change kind is `several` even when no item is named twice. */
    severalChanges: patterns,
    reply: z.object({
      /** "Not sure", "never mind": no answer either way. */
      uncertain: patterns,
      /** A question instead of an answer. */
      question: patterns.min(1),
      /** Tried in order on the first clause; the first that matches decides. */
      firstClause: z.array(z.object({ value: z.enum(['yes', 'no']), pattern })).min(1),
      noAnywhere: patterns,
      yesAnywhere: patterns,
    }),
    upset: patterns.min(1),
  })
  .superRefine((lexicon, ctx) => {
    // Every aspect and every fact needs words, or the reader would silently never report it.
    for (const id of ASPECT_IDS) {
      if (!lexicon.aspects.some((aspect) => aspect.id === id)) ctx.addIssue({ code: 'custom', path: ['aspects'], message: `no patterns for aspect ${id}` });
    }
    for (const id of STATED_FACT_IDS) {
      if (!lexicon.stated.some((entry) => entry.fact === id)) ctx.addIssue({ code: 'custom', path: ['stated'], message: `no patterns for fact ${id}` });
    }
  });
export type CueLexicon = z.infer<typeof cueLexiconSchema>;
