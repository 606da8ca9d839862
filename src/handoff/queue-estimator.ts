/** Options of {@link QueueEstimator}. */
export interface QueueEstimatorOptions {
  /** Assumed wait per queue place before any handoff was accepted, seconds. */
  readonly defaultSecondsPerPlace?: number;
  /** How many recent accepted waits the average keeps. */
  readonly window?: number;
}

export const QUEUE_ESTIMATOR_DEFAULTS: Required<QueueEstimatorOptions> = { defaultSecondsPerPlace: 120, window: 20 };

/** Estimates a queued seller's wait from how long recent sellers waited before an agent took over. */
export class QueueEstimator {
  private readonly waits: number[] = [];
  private readonly options: Required<QueueEstimatorOptions>;

  constructor(options: QueueEstimatorOptions = {}) {
    this.options = { ...QUEUE_ESTIMATOR_DEFAULTS, ...options };
  }

  /** Records the wait (seconds) of a seller whose handoff was just accepted. */
  recordWait(seconds: number): void {
    this.waits.push(Math.max(0, seconds));
    if (this.waits.length > this.options.window) this.waits.shift();
  }

  /** Whole minutes, at least 1, for the seller at 1-based `position`. */
  estimateMinutes(position: number): number {
    const perPlace =
      this.waits.length === 0 ? this.options.defaultSecondsPerPlace : this.waits.reduce((a, b) => a + b, 0) / this.waits.length;
    return Math.max(1, Math.ceil((Math.max(1, position) * perPlace) / 60));
  }
}
