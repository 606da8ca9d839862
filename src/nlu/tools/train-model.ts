/**
 * `npm run train:nlu`: trains the classifier on the training split and writes `locales/nlu/intent-model.json`
 * with the fingerprint of its inputs, so the bot loads a precomputed model in milliseconds.
 * Run after editing any training file or the lexicon; a test fails while the shipped model is stale.
 */
import { writeFileSync } from 'node:fs';
import { modelFingerprint, toModelFile } from '../intent-model-file.js';
import { charMapSchema, lexiconSchema } from '../nlu-data.schema.js';
import { modelInputFiles, nluPaths, readJsonDataFile, trainIntentClassifier } from '../load-intent-matcher.js';
import { DEFAULT_TRAINING_OPTIONS } from '../softmax-classifier.js';
import { TextNormalizer } from '../text-normalizer.js';
import { DEFAULT_FEATURE_OPTIONS, FeatureExtractor } from '../feature-extractor.js';
import { findRootDir } from '../../root-dir.js';

const rootDir = findRootDir(import.meta.dirname);
const lexicon = readJsonDataFile(nluPaths.lexicon(rootDir), lexiconSchema);
const charMap = readJsonDataFile(nluPaths.charMap(rootDir), charMapSchema);
const started = performance.now();
const { classifier, rows } = trainIntentClassifier(rootDir, new TextNormalizer(lexicon, charMap), new FeatureExtractor(lexicon));
const snapshot = classifier.toSnapshot();
const model = toModelFile(snapshot, modelFingerprint(modelInputFiles(rootDir), DEFAULT_TRAINING_OPTIONS, DEFAULT_FEATURE_OPTIONS), rows);
writeFileSync(nluPaths.model(rootDir), `${JSON.stringify(model)}\n`);
console.error(`train:nlu: ${rows} rows, ${snapshot.features.length} features kept, ${(performance.now() - started).toFixed(0)} ms -> ${nluPaths.model(rootDir)}`);
