import type { Lexicon } from './nlu-data.schema.js';
import { stemEnglish } from './english-stemmer.js';

/** Which feature families to produce; the defaults are what the shipped model is trained with. */
export interface FeatureOptions {
  /** Han character trigrams (`t:`). */
  readonly hanTrigrams: boolean;
  /** Conjunctions of two concepts (`#close&#effect`): lets a linear model see "closing AND its effect". */
  readonly conceptPairs: boolean;
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = { hanTrigrams: true, conceptPairs: false };

interface CompiledConcept {
  readonly feature: string;
  readonly pattern: RegExp;
}

// Units of meaning: an alias token (upper case), an English word or number, or one Han character.
const UNIT = /[A-Z]+|[a-z0-9]+|\p{Script=Han}/gu;
const HAN = /^\p{Script=Han}$/u;

/**
 * Step 2 of the pipeline: normalized text -> a set of named, human-readable features.
 * `u:x` unigrams (Han characters, stemmed English words, alias tokens), `b:x_y` bigrams over the same units
 * (so Chinese gets character bigrams, English word bigrams, mixed text both), `t:xyz` Han character trigrams,
 * and `#concept` features from the hand-written lexicon, which tie Chinese and English phrasings together.
 */
export class FeatureExtractor {
  private readonly stopwords: ReadonlySet<string>;
  private readonly concepts: readonly CompiledConcept[];

  constructor(
    lexicon: Lexicon,
    private readonly options: FeatureOptions = DEFAULT_FEATURE_OPTIONS,
  ) {
    this.stopwords = new Set(lexicon.stopwords);
    this.concepts = lexicon.concepts.map((concept) => ({
      feature: `#${concept.id}`,
      pattern: new RegExp(concept.patterns.map((source) => `(?:${source})`).join('|'), 'u'),
    }));
  }

  /** The meaningful units of a normalized string, English stemmed and stopwords dropped. */
  units(normalized: string): string[] {
    const units: string[] = [];
    for (const match of normalized.matchAll(UNIT)) {
      const unit = match[0];
      if (/^[a-z]/.test(unit)) {
        if (!this.stopwords.has(unit)) units.push(stemEnglish(unit));
      } else {
        units.push(unit);
      }
    }
    return units;
  }

  /** Concept ids (with `#`) whose patterns match the normalized text. */
  matchConcepts(normalized: string): string[] {
    return this.concepts.filter((concept) => concept.pattern.test(normalized)).map((concept) => concept.feature);
  }

  /** Every feature of a normalized string, deduplicated, in a stable order. */
  extract(normalized: string): string[] {
    const units = this.units(normalized);
    const features = new Set<string>();
    for (const [i, unit] of units.entries()) {
      features.add(`u:${unit}`);
      const next = units[i + 1];
      if (next !== undefined) {
        features.add(`b:${unit}_${next}`);
        const third = units[i + 2];
        if (this.options.hanTrigrams && third !== undefined && HAN.test(unit) && HAN.test(next) && HAN.test(third)) features.add(`t:${unit}${next}${third}`);
      }
    }
    const concepts = this.matchConcepts(normalized);
    for (const concept of concepts) features.add(concept);
    if (this.options.conceptPairs) {
      for (let i = 0; i < concepts.length; i++) for (let j = i + 1; j < concepts.length; j++) features.add(`${concepts[i]}&${concepts[j]}`);
    }
    return [...features];
  }
}
