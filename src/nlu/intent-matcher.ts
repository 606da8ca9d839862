import { INTENT_IDS, type IntentId } from './intents.js';
import type { IntentScore, Recognition, Recognizer } from './recognizer.js';
import type { FeatureExtractor } from './feature-extractor.js';
import type { TextNormalizer } from './text-normalizer.js';
import type { SoftmaxClassifier } from './softmax-classifier.js';

/** Decision thresholds of {@link IntentMatcher}; one line each on what they trade. */
export interface IntentMatcherOptions {
  /** Below this probability (top in-scope intent, plus the runner-up when ambiguous) the answer is `none`. */
  readonly acceptThreshold: number;
  /** Top two in-scope intents closer than this (in probability) are reported as ambiguous... */
  readonly ambiguityMargin: number;
  /** ...provided the runner-up reaches at least this probability. */
  readonly ambiguityFloor: number;
  /** How many alternatives to return at most. */
  readonly maxAlternatives: number;
}

export const DEFAULT_MATCHER_OPTIONS: IntentMatcherOptions = {
  acceptThreshold: 0.5,
  ambiguityMargin: 0.2,
  ambiguityFloor: 0.2,
  maxAlternatives: 3,
};

/** Everything the matcher saw and decided for one utterance: for debugging and the `--explain` CLI flag. */
export interface Explanation extends Recognition {
  readonly normalized: string;
  readonly features: readonly string[];
  readonly unknownFeatures: readonly string[];
  /** The features that pushed the chosen (or best in-scope) intent up the most, with their weights. */
  readonly topContributions: ReadonlyArray<{ feature: string; weight: number }>;
}

const round = (value: number): number => Math.round(value * 10_000) / 10_000;

/**
 * The recognizer the dialogs route on: normalize -> features -> softmax classifier -> threshold/ambiguity.
 * `none` is both a trained class (hard negatives: other platforms, prices, logistics, ...) and the fallback
 * when no in-scope intent is probable enough, because a confident wrong answer is worse than a handoff.
 * Deterministic, synchronous, no I/O: build it with `loadIntentMatcher()`.
 */
export class IntentMatcher implements Recognizer {
  constructor(
    private readonly normalizer: TextNormalizer,
    private readonly extractor: FeatureExtractor,
    private readonly classifier: SoftmaxClassifier,
    private readonly options: IntentMatcherOptions = DEFAULT_MATCHER_OPTIONS,
  ) {
    const unknown = classifier.labels.filter((label) => !(INTENT_IDS as readonly string[]).includes(label));
    if (unknown.length > 0) throw new Error(`IntentMatcher(): classifier labels are not intent ids: ${unknown.join(', ')}`);
  }

  /** See {@link Recognizer.recognize}. `locale` is accepted for the contract but not needed: text decides. */
  recognize(text: string, locale: string): Recognition {
    const { intent, score, alternatives, ambiguous } = this.explain(text, locale);
    return { intent, score, alternatives, ambiguous };
  }

  /** Recognition plus the normalized text, features and the weights behind the decision. */
  explain(text: string, _locale: string): Explanation {
    const normalized = this.normalizer.normalize(text);
    const features = this.extractor.extract(normalized);
    const known = this.classifier.known(features);
    const unknownFeatures = features.filter((feature) => !known.includes(feature));
    const probabilities = this.classifier.predict(known);
    const ranked: IntentScore[] = this.classifier.labels
      .map((label, i) => ({ intent: label as IntentId, score: probabilities[i]! }))
      .sort((a, b) => b.score - a.score || a.intent.localeCompare(b.intent));

    const inScope = ranked.filter((entry) => entry.intent !== 'none');
    const first = inScope[0];
    const second = inScope[1];
    const noneScore = ranked.find((entry) => entry.intent === 'none')?.score ?? 0;
    const { acceptThreshold, ambiguityMargin, ambiguityFloor, maxAlternatives } = this.options;

    const ambiguous =
      first !== undefined && second !== undefined && second.score >= ambiguityFloor && first.score - second.score < ambiguityMargin;
    const support = (first?.score ?? 0) + (ambiguous ? (second?.score ?? 0) : 0);
    const accepted = known.length > 0 && first !== undefined && support >= acceptThreshold && support > noneScore;

    const intent: IntentId = accepted ? first.intent : 'none';
    const score = accepted ? first.score : known.length === 0 ? 1 : Math.max(noneScore, 1 - support);
    const alternatives = ranked
      .filter((entry) => entry.intent !== intent && entry.score >= 0.01)
      .slice(0, maxAlternatives)
      .map((entry) => ({ intent: entry.intent, score: round(entry.score) }));

    return {
      intent,
      score: round(score),
      alternatives,
      ambiguous: accepted && ambiguous,
      normalized,
      features,
      unknownFeatures,
      topContributions: this.classifier.contributions(known, first?.intent ?? 'none').slice(0, 8),
    };
  }
}
