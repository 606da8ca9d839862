import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { INTENT_IDS } from './intents.js';
import type { SoftmaxTrainingOptions } from './softmax-classifier.js';

/** Bump when the feature pipeline changes in a way the data files do not show (forces a retrain). */
export const MODEL_FORMAT = 'intent-matcher/3';

/** True for `[[labelIndex, weight, labelIndex, weight, ...], ...]` with integer indexes and finite weights. */
function isPairRows(value: unknown): value is number[][] {
  if (!Array.isArray(value)) return false;
  for (const row of value) {
    if (!Array.isArray(row) || row.length % 2 !== 0) return false;
    for (let i = 0; i < row.length; i += 2) {
      if (!Number.isInteger(row[i]) || row[i] < 0 || row[i] >= INTENT_IDS.length || !Number.isFinite(row[i + 1])) return false;
    }
  }
  return true;
}

/** `locales/nlu/intent-model.json`: the precomputed classifier plus the fingerprint of what it was trained on. */
export const modelFileSchema = z.object({
  format: z.string(),
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  trainedRows: z.number().int().nonnegative(),
  labels: z.array(z.enum(INTENT_IDS)).min(2),
  bias: z.array(z.number()),
  features: z.array(z.string().min(1)),
  // A hand-written check rather than nested zod arrays: ~100k numbers would cost tens of ms to validate.
  weights: z.custom<number[][]>(isPairRows, { message: 'weights must be rows of [labelIndex, weight, ...] pairs' }),
}).refine((model) => model.bias.length === model.labels.length && model.weights.length === model.features.length, {
  message: 'bias must have one entry per label and weights one row per feature',
});
export type ModelFile = z.infer<typeof modelFileSchema>;

/**
 * Hash of everything that determines the trained weights: the pipeline format, the training options and the
 * exact bytes of the data files. A shipped model whose fingerprint differs is stale and is not used.
 */
export function modelFingerprint(dataFiles: readonly string[], options: SoftmaxTrainingOptions): string {
  const hash = createHash('sha256').update(MODEL_FORMAT).update(JSON.stringify(options));
  for (const file of dataFiles) {
    hash.update(`\n${file.replace(/\\/g, '/').split('/').slice(-2).join('/')}\n`);
    if (existsSync(file)) hash.update(readFileSync(file));
  }
  return hash.digest('hex');
}
