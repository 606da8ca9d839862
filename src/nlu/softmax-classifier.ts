/** Training knobs of {@link SoftmaxClassifier.train}; the defaults are what the shipped matcher uses. */
export interface SoftmaxTrainingOptions {
  /** Passes over the training set. */
  readonly epochs: number;
  /** Initial SGD step size; decays as 1 / (1 + decay * epoch). */
  readonly learningRate: number;
  readonly decay: number;
  /** L2 penalty applied to the weights an example touches (keeps rare n-grams from dominating). */
  readonly l2: number;
  /** Seed of the shuffling order, so training is deterministic. */
  readonly seed: number;
}

export const DEFAULT_TRAINING_OPTIONS: SoftmaxTrainingOptions = {
  epochs: 50,
  learningRate: 0.5,
  decay: 0.1,
  l2: 1e-4,
  seed: 1688,
};

/** A trained model as plain data: per feature, pairs `[labelIndex, weight, ...]` of its non-negligible weights. */
export interface ClassifierSnapshot {
  readonly labels: readonly string[];
  readonly bias: readonly number[];
  readonly features: readonly string[];
  readonly weights: ReadonlyArray<readonly number[]>;
}

/** One training example: its feature names and the index of its label. */
export interface TrainingExample {
  readonly features: readonly string[];
  readonly label: number;
}

/** Small deterministic PRNG (mulberry32) for the shuffling order. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Step 3 of the pipeline: multinomial logistic regression over sparse binary features, each input vector
 * scaled to unit length. Weights are a dense `features x labels` table, so a prediction is a few hundred
 * multiply-adds and every score can be explained as a sum of named feature weights.
 */
export class SoftmaxClassifier {
  private constructor(
    readonly labels: readonly string[],
    private readonly index: ReadonlyMap<string, number>,
    private readonly weights: Float64Array,
    private readonly bias: Float64Array,
  ) {}

  /** Trains on the examples; same examples and options always give the same model. */
  static train(labels: readonly string[], examples: readonly TrainingExample[], options: SoftmaxTrainingOptions = DEFAULT_TRAINING_OPTIONS): SoftmaxClassifier {
    const index = new Map<string, number>();
    const encoded = examples.map((example) => ({
      ids: Int32Array.from(example.features, (name) => {
        let id = index.get(name);
        if (id === undefined) {
          id = index.size;
          index.set(name, id);
        }
        return id;
      }),
      label: example.label,
    }));
    const k = labels.length;
    const weights = new Float64Array(index.size * k);
    const bias = new Float64Array(k);
    const probs = new Float64Array(k);
    const gradients = new Float64Array(k);
    const order = encoded.map((_, i) => i);
    const random = mulberry32(options.seed);

    const { epochs, learningRate, decay, l2 } = options;
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        const swap = order[i]!;
        order[i] = order[j]!;
        order[j] = swap;
      }
      const rate = learningRate / (1 + decay * epoch);
      const shrink = 1 - rate * l2;
      for (let p = 0; p < order.length; p++) {
        const example = encoded[order[p]!]!;
        const ids = example.ids;
        const n = ids.length;
        if (n === 0) continue;
        const x = 1 / Math.sqrt(n);
        SoftmaxClassifier.forward(ids, x, weights, bias, k, probs);
        for (let c = 0; c < k; c++) {
          gradients[c] = (probs[c]! - (c === example.label ? 1 : 0)) * rate;
          bias[c] = bias[c]! - gradients[c]! * 0.1;
        }
        for (let f = 0; f < n; f++) {
          const base = ids[f]! * k;
          for (let c = 0; c < k; c++) weights[base + c] = weights[base + c]! * shrink - gradients[c]! * x;
        }
      }
    }
    return new SoftmaxClassifier(labels, index, weights, bias);
  }

  private static forward(ids: ArrayLike<number>, x: number, weights: Float64Array, bias: Float64Array, k: number, out: Float64Array): void {
    // Feature-major loop: each feature's k weights are contiguous in memory.
    for (let c = 0; c < k; c++) out[c] = bias[c]!;
    for (let f = 0; f < ids.length; f++) {
      const base = ids[f]! * k;
      for (let c = 0; c < k; c++) out[c] = out[c]! + weights[base + c]! * x;
    }
    let max = -Infinity;
    for (let c = 0; c < k; c++) if (out[c]! > max) max = out[c]!;
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const e = Math.exp(out[c]! - max);
      out[c] = e;
      sum += e;
    }
    for (let c = 0; c < k; c++) out[c] = out[c]! / sum;
  }

  /** Features of the input that the model knows (the others carry no weight). */
  known(features: readonly string[]): string[] {
    return features.filter((name) => this.index.has(name));
  }

  /**
   * Probability of every label, in `labels` order. Unknown features are ignored.
   * `temperature` > 1 softens the distribution (logits divided by it) without changing the ranking.
   */
  predict(features: readonly string[], temperature = 1): Float64Array {
    const ids: number[] = [];
    for (const name of features) {
      const id = this.index.get(name);
      if (id !== undefined) ids.push(id);
    }
    const out = new Float64Array(this.labels.length);
    if (temperature === 1) {
      SoftmaxClassifier.forward(ids, ids.length > 0 ? 1 / Math.sqrt(ids.length) : 0, this.weights, this.bias, this.labels.length, out);
      return out;
    }
    const scaledBias = this.bias.map((b) => b / temperature);
    SoftmaxClassifier.forward(ids, ids.length > 0 ? 1 / Math.sqrt(ids.length) / temperature : 0, this.weights, scaledBias, this.labels.length, out);
    return out;
  }

  /** The weight each known feature adds to one label's logit, largest first: the "why" of a score. */
  contributions(features: readonly string[], label: string): Array<{ feature: string; weight: number }> {
    const c = this.labels.indexOf(label);
    if (c < 0) return [];
    const k = this.labels.length;
    return this.known(features)
      .map((feature) => ({ feature, weight: this.weights[this.index.get(feature)! * k + c]! }))
      .sort((a, b) => b.weight - a.weight);
  }

  /**
   * The model as plain data: weights with magnitude under `minWeight` are dropped (they never change a decision)
   * and the rest rounded, which keeps the shipped file small. `fromSnapshot(toSnapshot())` predicts like this model.
   */
  toSnapshot(minWeight = 0.02): ClassifierSnapshot {
    const k = this.labels.length;
    const round = (value: number): number => Math.round(value * 10_000) / 10_000;
    const features: string[] = [];
    const weights: number[][] = [];
    for (const [name, id] of this.index) {
      const row: number[] = [];
      for (let c = 0; c < k; c++) {
        const w = round(this.weights[id * k + c]!);
        if (Math.abs(w) >= minWeight) row.push(c, w);
      }
      if (row.length > 0) {
        features.push(name);
        weights.push(row);
      }
    }
    return { labels: [...this.labels], bias: Array.from(this.bias, round), features, weights };
  }

  /** Rebuilds a classifier from {@link toSnapshot} output (already validated by the caller). */
  static fromSnapshot(snapshot: ClassifierSnapshot): SoftmaxClassifier {
    const k = snapshot.labels.length;
    const index = new Map<string, number>();
    const weights = new Float64Array(snapshot.features.length * k);
    snapshot.features.forEach((name, id) => {
      index.set(name, id);
      const row = snapshot.weights[id] ?? [];
      for (let i = 0; i + 1 < row.length; i += 2) weights[id * k + row[i]!] = row[i + 1]!;
    });
    return new SoftmaxClassifier(snapshot.labels, index, weights, Float64Array.from(snapshot.bias));
  }

  /** Number of distinct features seen in training. */
  get vocabularySize(): number {
    return this.index.size;
  }
}
