import { ASPECT_IDS, type AspectId, type ChangeKind, type CueReader, type Cues, type StatedFact, type StatedFactId } from './cues.js';
import type { CueLexicon } from './cue-lexicon.schema.js';
import { CuePatternCompiler } from './cue-patterns.js';
import type { TextNormalizer } from './text-normalizer.js';

interface CompiledAspect {
  readonly id: AspectId;
  readonly strong: RegExp;
  readonly weak: RegExp | undefined;
}

interface CompiledFact {
  readonly fact: StatedFactId;
  /** All affirm shapes as one alternation, and all deny shapes as another (one scan each, not one per shape). */
  readonly shapes: ReadonlyArray<{ readonly pattern: RegExp; readonly value: boolean }>;
}

interface FactMatch {
  readonly fact: StatedFactId;
  readonly index: number;
  readonly end: number;
  readonly value: boolean;
  /** True when the shape itself says "not done" (deny); a deny shape wins over an affirm shape it overlaps. */
  readonly deny: boolean;
}

// Clause breaks, read before normalization removes punctuation (after NFKC, so full-width marks are half-width).
const CLAUSE_BREAK = /[,。!?;、\n~～…]+|\.(?=\s|$)/u;
// A space next to a Han character is only a removed filler or an alias token's padding: glue them back together.
const HAN_SPACE = /(?<=\p{Script=Han}) (?=[\p{Script=Han}A-Z])|(?<=[A-Z]) (?=\p{Script=Han})/gu;
const CLAUSE_JOIN = ' ; ';
const LOOK_BEHIND_CHARS = 12;
const EMPTY: Cues = Object.freeze({ aspects: [], stated: [], changeKind: null, reply: null, upset: false });

/**
 * Reads cues with the hand-written patterns of `locales/nlu/cues.json` over the matcher's normalized text:
 * aspects on the text with punctuation kept, stated facts and change items clause by clause on the normalized
 * text (aliases such as CXT as tokens), the yes/no reading on the first clause. Deterministic, no I/O.
 */
export class LexiconCueReader implements CueReader {
  private readonly aspects: readonly CompiledAspect[];
  private readonly facts: readonly CompiledFact[];
  private readonly negationBefore: RegExp;
  private readonly negationInside: RegExp;
  private readonly hypotheticalBefore: RegExp;
  private readonly changeKinds: ReadonlyArray<{ readonly kind: Exclude<ChangeKind, 'several'>; readonly pattern: RegExp }>;
  private readonly changeVerb: RegExp;
  private readonly severalChanges: RegExp | undefined;
  private readonly reply: {
    readonly uncertain: RegExp | undefined;
    readonly question: RegExp | undefined;
    readonly firstClause: ReadonlyArray<{ readonly value: 'yes' | 'no'; readonly pattern: RegExp }>;
    readonly noAnywhere: RegExp | undefined;
    readonly yesAnywhere: RegExp | undefined;
  };
  private readonly upset: RegExp | undefined;

  constructor(
    private readonly normalizer: TextNormalizer,
    lexicon: CueLexicon,
    origin = 'cues.json',
  ) {
    const c = new CuePatternCompiler(lexicon.macros, origin);
    this.aspects = lexicon.aspects.map((aspect) => ({
      id: aspect.id,
      strong: c.compileAny(aspect.patterns, `aspects.${aspect.id}.patterns`)!,
      weak: c.compileAny(aspect.weak, `aspects.${aspect.id}.weak`),
    }));
    this.facts = lexicon.stated.map((entry) => ({
      fact: entry.fact,
      shapes: [
        { pattern: c.compileAny(entry.affirm, `stated.${entry.fact}.affirm`, 'gu')!, value: true },
        { pattern: c.compileAny(entry.deny, `stated.${entry.fact}.deny`, 'gu')!, value: false },
      ],
    }));
    this.negationBefore = c.compile(lexicon.negationBefore, 'negationBefore');
    this.negationInside = c.compile(lexicon.negationInside, 'negationInside');
    this.hypotheticalBefore = c.compile(lexicon.hypotheticalBefore, 'hypotheticalBefore');
    this.changeKinds = lexicon.changeKinds.map((entry) => ({ kind: entry.kind, pattern: c.compileAny(entry.patterns, `changeKinds.${entry.kind}`)! }));
    this.changeVerb = c.compileAny(lexicon.changeVerbs, 'changeVerbs')!;
    this.severalChanges = c.compileAny(lexicon.severalChanges, 'severalChanges');
    this.reply = {
      uncertain: c.compileAny(lexicon.reply.uncertain, 'reply.uncertain'),
      question: c.compileAny(lexicon.reply.question, 'reply.question'),
      firstClause: lexicon.reply.firstClause.map((rule, i) => ({ value: rule.value, pattern: c.compile(rule.pattern, `reply.firstClause[${i}]`) })),
      noAnywhere: c.compileAny(lexicon.reply.noAnywhere, 'reply.noAnywhere'),
      yesAnywhere: c.compileAny(lexicon.reply.yesAnywhere, 'reply.yesAnywhere'),
    };
    this.upset = c.compileAny(lexicon.upset, 'upset');
  }

  /** See {@link CueReader.read}. `locale` is accepted for the contract; the text decides, as in the matcher. */
  read(text: string, _locale: string): Cues {
    const light = this.normalizer.canonicalCharacters(text).replace(/\s+/gu, ' ').trim();
    if (light === '') return EMPTY;
    const clauses = this.clauses(text);
    const joined = clauses.join(CLAUSE_JOIN);
    const upset = this.upset !== undefined && (this.upset.test(joined) || this.upset.test(light));
    const stated = this.readStated(joined);
    return {
      aspects: this.readAspects(light),
      stated,
      changeKind: this.readChangeKind(clauses),
      reply: upset ? null : this.readReply(light, stated),
      upset,
    };
  }

  /** The normalized text clause by clause, Han characters and alias tokens glued back together. */
  private clauses(text: string): string[] {
    return text
      .normalize('NFKC')
      .split(CLAUSE_BREAK)
      .map((part) => this.normalizer.normalize(part).replace(HAN_SPACE, ''))
      .filter((part) => part !== '');
  }

  /** Aspects in order of first mention; weak patterns only when nothing matched a strong one. */
  private readAspects(light: string): AspectId[] {
    const found = (kind: 'strong' | 'weak'): AspectId[] => {
      const hits: Array<{ id: AspectId; index: number }> = [];
      for (const aspect of this.aspects) {
        const pattern = aspect[kind];
        const index = pattern ? light.search(pattern) : -1;
        if (index >= 0) hits.push({ id: aspect.id, index });
      }
      hits.sort((a, b) => a.index - b.index || ASPECT_IDS.indexOf(a.id) - ASPECT_IDS.indexOf(b.id));
      return hits.map((hit) => hit.id);
    };
    const strong = found('strong');
    return strong.length > 0 ? strong : found('weak');
  }

  /** One value per fact: the first statement of it in the text, negation around it applied. */
  private readStated(joined: string): StatedFact[] {
    const chosen: FactMatch[] = [];
    for (const entry of this.facts) {
      const matches: FactMatch[] = [];
      for (const shape of entry.shapes) {
        for (const match of joined.matchAll(shape.pattern)) {
          const before = joined.slice(Math.max(0, match.index - LOOK_BEHIND_CHARS), match.index);
          if (this.hypotheticalBefore.test(before)) continue;
          const flipped = this.negationBefore.test(before) || (shape.value && this.negationInside.test(match[0]));
          matches.push({ fact: entry.fact, index: match.index, end: match.index + match[0].length, value: flipped ? !shape.value : shape.value, deny: !shape.value });
          break; // the first statement of each polarity is enough
        }
      }
      if (matches.length === 0) continue;
      matches.sort((a, b) => a.index - b.index || b.end - a.end);
      const first = matches[0]!;
      // "orders not all shipped" can contain an affirmative-looking part; the deny shape over the same words wins.
      const deny = first.deny ? undefined : matches.find((m) => m.deny && m.index < first.end && first.index < m.end);
      chosen.push(deny ?? first);
    }
    return chosen.sort((a, b) => a.index - b.index).map(({ fact, value }) => ({ fact, value }));
  }

  /** The registration item changed, when a change verb shares its clause; two or more items -> `several`. */
  private readChangeKind(clauses: readonly string[]): ChangeKind | null {
    const kinds = new Set<Exclude<ChangeKind, 'several'>>();
    let several = false;
    for (const clause of clauses) {
      if (this.severalChanges?.test(clause)) several = true;
      if (!this.changeVerb.test(clause)) continue;
      for (const { kind, pattern } of this.changeKinds) if (pattern.test(clause)) kinds.add(kind);
    }
    if (several || kinds.size > 1) return 'several';
    const [only] = kinds;
    return only ?? null;
  }

  /** The yes/no reading: none for a question or "not sure"; else the first clause, then stated facts, then any marker. */
  private readReply(light: string, stated: readonly StatedFact[]): 'yes' | 'no' | null {
    const { uncertain, question, firstClause, noAnywhere, yesAnywhere } = this.reply;
    if (uncertain?.test(light) || question?.test(light)) return null;
    const first = light.split(CLAUSE_BREAK).map((part) => part.trim()).find((part) => part !== '') ?? '';
    for (const rule of firstClause) if (rule.pattern.test(first)) return rule.value;
    if (stated.length > 0) return stated[0]!.value ? 'yes' : 'no';
    if (noAnywhere?.test(light)) return 'no';
    if (yesAnywhere?.test(light)) return 'yes';
    return null;
  }
}
