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
  /** When only the sum of two close intents clears `acceptThreshold`, the top one must still reach this. */
  readonly ambiguousTopFloor: number;
  /** Softmax temperature: above 1 the raw, over-confident probabilities are spread out so near ties show. */
  readonly temperature: number;
  /** Feature names of which a topical answer needs at least one (empty: no gate). See `lexicon.json` `anchors`. */
  readonly topicAnchors: readonly string[];
  /** Feature names of other platforms: with one and no product token, a topical answer is refused. See `lexicon.json` `foreignTopics`. */
  readonly foreignTopics: readonly string[];
  /** How many alternatives to return at most. */
  readonly maxAlternatives: number;
}

export const DEFAULT_MATCHER_OPTIONS: IntentMatcherOptions = {
  acceptThreshold: 0.5,
  ambiguityMargin: 0.2,
  ambiguityFloor: 0.2,
  ambiguousTopFloor: 0.3,
  temperature: 1,
  topicAnchors: [],
  foreignTopics: [],
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

// Conversation-level intents need no topic words; every other in-scope intent is about CXT/AliExpress.
const CONVERSATIONAL: ReadonlySet<IntentId> = new Set(['chitchat.greeting', 'chitchat.thanks', 'chitchat.goodbye', 'help.menu', 'handoff.human']);

// The alias tokens of the two products (see `lexicon.json` aliases): their presence makes a text on-topic.
const PRODUCT_FEATURES: ReadonlySet<string> = new Set(['u:CXT', 'u:AE']);

/**
 * The recognizer the dialogs route on: normalize -> features -> softmax classifier -> threshold/ambiguity.
 * `none` is both a trained class (hard negatives: other platforms, prices, logistics, ...) and the fallback
 * when no in-scope intent is probable enough, because a confident wrong answer is worse than a handoff.
 * Deterministic, synchronous, no I/O: build it with `loadIntentMatcher()`.
 */
export class IntentMatcher implements Recognizer {
  private readonly anchors: ReadonlySet<string>;
  private readonly foreignTopics: ReadonlySet<string>;

  constructor(
    private readonly normalizer: TextNormalizer,
    private readonly extractor: FeatureExtractor,
    private readonly classifier: SoftmaxClassifier,
    private readonly options: IntentMatcherOptions = DEFAULT_MATCHER_OPTIONS,
    /** `precomputed` when the shipped model file was used, `trained` when it was built at load time. */
    readonly modelSource: 'precomputed' | 'trained' = 'trained',
  ) {
    this.anchors = new Set(options.topicAnchors);
    this.foreignTopics = new Set(options.foreignTopics);
    const unknown = classifier.labels.filter((label) => !(INTENT_IDS as readonly string[]).includes(label));
    if (unknown.length > 0) throw new Error(`IntentMatcher(): classifier labels are not intent ids: ${unknown.join(', ')}`);
  }

  /** See {@link Recognizer.recognize}. `locale` is accepted for the contract but not needed: the text decides. */
  recognize(text: string, _locale: string): Recognition {
    return this.decide(this.classifier.known(this.extractor.extract(this.normalizer.normalize(text))));
  }

  /** Recognition plus the normalized text, features and the weights behind the decision (slower; for debugging). */
  explain(text: string, _locale: string): Explanation {
    const normalized = this.normalizer.normalize(text);
    const features = this.extractor.extract(normalized);
    const known = this.classifier.known(features);
    const knownSet = new Set(known);
    const recognition = this.decide(known);
    const explained = recognition.intent === 'none' ? (recognition.alternatives[0]?.intent ?? 'none') : recognition.intent;
    return {
      ...recognition,
      normalized,
      features,
      unknownFeatures: features.filter((feature) => !knownSet.has(feature)),
      topContributions: this.classifier.contributions(known, explained).slice(0, 8),
    };
  }

  /** Threshold and ambiguity rules over the classifier's probabilities. */
  private decide(known: readonly string[]): Recognition {
    // Nothing the model has ever seen: the probabilities would only echo the class priors, so do not pretend.
    if (known.length === 0) return { intent: 'none', score: 1, alternatives: [], ambiguous: false, onTopic: false };
    const onTopic = known.some((feature) => PRODUCT_FEATURES.has(feature));
    const probabilities = this.classifier.predict(known, this.options.temperature);
    const labels = this.classifier.labels;
    const ranked: IntentScore[] = labels
      .map((label, i) => ({ intent: label as IntentId, score: probabilities[i]! }))
      .sort((a, b) => b.score - a.score || a.intent.localeCompare(b.intent));

    let first: IntentScore | undefined;
    let second: IntentScore | undefined;
    let noneScore = 0;
    for (const entry of ranked) {
      if (entry.intent === 'none') noneScore = entry.score;
      else if (!first) first = entry;
      else if (!second) second = entry;
    }
    const { acceptThreshold, ambiguityMargin, ambiguityFloor, ambiguousTopFloor, maxAlternatives } = this.options;
    const close = first !== undefined && second !== undefined && second.score >= ambiguityFloor && first.score - second.score < ambiguityMargin;
    const support = (first?.score ?? 0) + (close ? (second?.score ?? 0) : 0);
    const topScore = first?.score ?? 0;
    const conversational = first === undefined || CONVERSATIONAL.has(first.intent);
    const aboutAnotherPlatform = !onTopic && known.some((feature) => this.foreignTopics.has(feature));
    const anchored =
      conversational || (!aboutAnotherPlatform && (this.anchors.size === 0 || known.some((feature) => this.anchors.has(feature))));
    const accepted =
      first !== undefined &&
      anchored &&
      support >= acceptThreshold &&
      support > noneScore &&
      (topScore >= acceptThreshold || topScore >= ambiguousTopFloor);

    const intent: IntentId = accepted && first ? first.intent : 'none';
    const score = accepted && first ? first.score : anchored ? Math.max(noneScore, 1 - support) : Math.max(noneScore, 1 - topScore);
    const alternatives: IntentScore[] = [];
    for (const entry of ranked) {
      if (alternatives.length >= maxAlternatives || entry.score < 0.01) break;
      if (entry.intent !== intent) alternatives.push({ intent: entry.intent, score: round(entry.score) });
    }
    return { intent, score: round(score), alternatives, ambiguous: accepted && close, onTopic };
  }
}
