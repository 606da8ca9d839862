import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { INTENT_IDS } from './intents.js';
import { DEFAULT_FEATURE_OPTIONS, FeatureExtractor, type FeatureOptions } from './feature-extractor.js';
import { DEFAULT_MATCHER_OPTIONS, IntentMatcher, type IntentMatcherOptions } from './intent-matcher.js';
import { NluDataError } from './nlu-data-error.js';
import { charMapSchema, lexiconSchema, type LabelledUtterance } from './nlu-data.schema.js';
import { DEFAULT_TRAINING_OPTIONS, SoftmaxClassifier, type SoftmaxTrainingOptions } from './softmax-classifier.js';
import { TextNormalizer } from './text-normalizer.js';
import { readUtteranceFile } from './utterance-file.js';
import { fromModelFile, MODEL_FORMAT, modelFileSchema, modelFingerprint } from './intent-model-file.js';

/** Locales whose `utterances.train.jsonl` / `utterances.test.jsonl` make up the NLU data set. */
export const NLU_DATA_LOCALES = ['zh-CN', 'zh-TW', 'en'] as const;

/** Where the matcher's data files live, relative to the repository root. */
export const nluPaths = {
  lexicon: (rootDir: string): string => join(rootDir, 'locales', 'nlu', 'lexicon.json'),
  charMap: (rootDir: string): string => join(rootDir, 'locales', 'nlu', 't2s-chars.json'),
  split: (rootDir: string, locale: string, split: 'train' | 'test'): string => join(rootDir, 'locales', locale, `utterances.${split}.jsonl`),
  model: (rootDir: string): string => join(rootDir, 'locales', 'nlu', 'intent-model.json'),
};

/** Reads and validates one JSON data file. */
export function readJsonDataFile<S extends z.ZodType>(path: string, schema: S): z.infer<S> {
  if (!existsSync(path)) throw new NluDataError('NLU_FILE_MISSING', `readJsonDataFile(): ${path} does not exist`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new NluDataError('NLU_FILE_INVALID_JSON', `readJsonDataFile(): ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new NluDataError('NLU_FILE_INVALID', `readJsonDataFile(): ${path}: ${issue?.path.join('.') || 'root'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** Every row of one split across all data locales. */
export function readSplit(rootDir: string, split: 'train' | 'test'): LabelledUtterance[] {
  return NLU_DATA_LOCALES.flatMap((locale) => readUtteranceFile(nluPaths.split(rootDir, locale, split)));
}

export interface LoadIntentMatcherOptions {
  /** Overrides of the decision thresholds; `topicAnchors` and `foreignTopics` default to the lexicon's. */
  readonly matcher?: Partial<IntentMatcherOptions>;
  readonly training?: SoftmaxTrainingOptions;
  /** Train on these rows instead of the files' training split (tests, cross-validation); implies training. */
  readonly trainingRows?: readonly LabelledUtterance[];
  /** Feature families (experiments); anything but the defaults implies training. */
  readonly features?: FeatureOptions;
  /** Ignore `locales/nlu/intent-model.json` and train now. */
  readonly forceTrain?: boolean;
}

/** The files whose bytes decide the trained model (see {@link modelFingerprint}). */
export function modelInputFiles(rootDir: string): string[] {
  return [nluPaths.lexicon(rootDir), nluPaths.charMap(rootDir), ...NLU_DATA_LOCALES.map((locale) => nluPaths.split(rootDir, locale, 'train'))];
}

/** Trains the classifier on the training split (or the given rows): what `npm run train:nlu` snapshots. */
export function trainIntentClassifier(
  rootDir: string,
  normalizer: TextNormalizer,
  extractor: FeatureExtractor,
  options: Pick<LoadIntentMatcherOptions, 'training' | 'trainingRows'> = {},
): { classifier: SoftmaxClassifier; rows: number } {
  const rows = options.trainingRows ?? readSplit(rootDir, 'train');
  const ambiguousRow = rows.find((row) => row.expect.length !== 1);
  if (ambiguousRow) {
    throw new NluDataError('NLU_FILE_INVALID', `trainIntentClassifier(): training row "${ambiguousRow.text}" must have exactly one expected intent`);
  }
  const labels = [...INTENT_IDS];
  const examples = rows.map((row) => ({
    features: extractor.extract(normalizer.normalize(row.text)),
    label: labels.indexOf(row.expect[0]!),
  }));
  return { classifier: SoftmaxClassifier.train(labels, examples, options.training ?? DEFAULT_TRAINING_OPTIONS), rows: rows.length };
}

/** The shipped model when it is fresh (same fingerprint as the data files now), otherwise undefined. */
function readFreshModel(rootDir: string): SoftmaxClassifier | undefined {
  const path = nluPaths.model(rootDir);
  if (!existsSync(path)) return undefined;
  const model = readJsonDataFile(path, modelFileSchema);
  const fresh =
    model.format === MODEL_FORMAT &&
    model.fingerprint === modelFingerprint(modelInputFiles(rootDir), DEFAULT_TRAINING_OPTIONS, DEFAULT_FEATURE_OPTIONS) &&
    model.labels.join() === INTENT_IDS.join();
  return fresh ? SoftmaxClassifier.fromSnapshot(fromModelFile(model)) : undefined;
}

/**
 * Builds the intent matcher from the data files under `rootDir` (the repository root):
 * `locales/nlu/lexicon.json`, `locales/nlu/t2s-chars.json`, and either the precomputed
 * `locales/nlu/intent-model.json` (used when its fingerprint matches the data files) or, when that is
 * missing or stale, a model trained now on `locales/<zh-CN|zh-TW|en>/utterances.train.jsonl`.
 * Every file is validated with zod; a bad file throws {@link NluDataError}.
 */
export function loadIntentMatcher(rootDir: string, options: LoadIntentMatcherOptions = {}): IntentMatcher {
  const lexicon = readJsonDataFile(nluPaths.lexicon(rootDir), lexiconSchema);
  const charMap = readJsonDataFile(nluPaths.charMap(rootDir), charMapSchema);
  const normalizer = new TextNormalizer(lexicon, charMap);
  const extractor = new FeatureExtractor(lexicon, options.features ?? DEFAULT_FEATURE_OPTIONS);
  const mayUseShipped = !options.forceTrain && !options.trainingRows && !options.training && !options.features;
  const shipped = mayUseShipped ? readFreshModel(rootDir) : undefined;
  const classifier = shipped ?? trainIntentClassifier(rootDir, normalizer, extractor, options).classifier;
  const matcherOptions = { ...DEFAULT_MATCHER_OPTIONS, topicAnchors: lexicon.anchors, foreignTopics: lexicon.foreignTopics, ...options.matcher };
  return new IntentMatcher(normalizer, extractor, classifier, matcherOptions, shipped ? 'precomputed' : 'trained');
}
