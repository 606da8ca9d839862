import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { INTENT_IDS } from './intents.js';
import type { ClassifierSnapshot, SoftmaxTrainingOptions } from './softmax-classifier.js';
import type { FeatureOptions } from './feature-extractor.js';

/** Bump when the feature pipeline changes in a way the data files do not show (forces a retrain). */
export const MODEL_FORMAT = 'intent-matcher/4';

// Large numeric arrays are checked by hand: zod validates ~8k numbers in ~10 ms, a plain loop in well under 1 ms.

/** True for a flat `[labelIndex, weight, labelIndex, weight, ...]` list with valid indexes and finite weights. */
function isPairList(value: unknown): value is number[] {
  if (!Array.isArray(value) || value.length % 2 !== 0) return false;
  for (let i = 0; i < value.length; i += 2) {
    const label = value[i] as unknown;
    if (!Number.isInteger(label) || (label as number) < 0 || (label as number) >= INTENT_IDS.length || !Number.isFinite(value[i + 1])) return false;
  }
  return true;
}

/**
 * `locales/nlu/intent-model.json`: the precomputed classifier plus the fingerprint of what it was trained on.
 * Flat layout (one string of feature names, one list of pairs) because it parses and validates in a few
 * milliseconds; nested per-feature arrays cost several times more at start-up.
 */
export const modelFileSchema = z
  .object({
    format: z.string(),
    fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
    trainedRows: z.number().int().nonnegative(),
    labels: z.array(z.enum(INTENT_IDS)).min(2),
    bias: z.array(z.number()),
    /** Feature names joined with `\n` (features never contain whitespace). */
    features: z.string(),
    /** How many `[label, weight]` pairs each feature has, in `features` order. */
    pairCounts: z.custom<number[]>((value) => Array.isArray(value) && value.every((n) => Number.isInteger(n) && (n as number) >= 0), {
      message: 'pairCounts must be non-negative integers',
    }),
    pairs: z.custom<number[]>(isPairList, { message: 'pairs must be a flat list of [labelIndex, weight] pairs' }),
  })
  .refine(
    (model) =>
      model.bias.length === model.labels.length &&
      model.pairCounts.length === (model.features === '' ? 0 : model.features.split('\n').length) &&
      model.pairCounts.reduce((sum, count) => sum + count, 0) * 2 === model.pairs.length,
    { message: 'bias, pairCounts and pairs do not match labels and features' },
  );
export type ModelFile = z.infer<typeof modelFileSchema>;

/** Packs a classifier snapshot into the file layout. */
export function toModelFile(snapshot: ClassifierSnapshot, fingerprint: string, trainedRows: number): ModelFile {
  return {
    format: MODEL_FORMAT,
    fingerprint,
    trainedRows,
    labels: snapshot.labels as ModelFile['labels'],
    bias: [...snapshot.bias],
    features: snapshot.features.join('\n'),
    pairCounts: snapshot.weights.map((row) => row.length / 2),
    pairs: snapshot.weights.flat(),
  };
}

/** Unpacks a validated model file into a classifier snapshot. */
export function fromModelFile(model: ModelFile): ClassifierSnapshot {
  const features = model.features === '' ? [] : model.features.split('\n');
  const weights: number[][] = [];
  let offset = 0;
  for (const count of model.pairCounts) {
    weights.push(model.pairs.slice(offset, offset + count * 2));
    offset += count * 2;
  }
  return { labels: model.labels, bias: model.bias, features, weights };
}

/**
 * Hash of everything that determines the trained weights: the pipeline format, the training options and the
 * exact bytes of the data files. A shipped model whose fingerprint differs is stale and is not used.
 */
export function modelFingerprint(dataFiles: readonly string[], options: SoftmaxTrainingOptions, features: FeatureOptions): string {
  const hash = createHash('sha256').update(MODEL_FORMAT).update(JSON.stringify(options)).update(JSON.stringify(features));
  for (const file of dataFiles) {
    hash.update(`\n${file.replace(/\\/g, '/').split('/').slice(-2).join('/')}\n`);
    if (existsSync(file)) hash.update(readFileSync(file));
  }
  return hash.digest('hex');
}
