import type { Logger } from '../logger.js';
import type { SellerDataCounts, SellerDataStore } from './seller-data.js';

/** Options of {@link RetentionJob.start}. */
export interface RetentionJobOptions {
  readonly store: SellerDataStore;
  /** RETENTION_DAYS: data older than this many days is purged; 0 turns the job off. */
  readonly days: number;
  readonly logger: Logger;
  /** Time between purges (default one hour). */
  readonly intervalMs?: number;
  readonly now?: () => Date;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * Purges seller data older than RETENTION_DAYS: once shortly after start-up, then every `intervalMs`, on an
 * unref'd timer (it never keeps the process alive). Each run logs one line with the counts it removed.
 */
export class RetentionJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SellerDataCounts | undefined> | undefined;
  private readonly now: () => Date;

  private constructor(private readonly options: RetentionJobOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** Starts the job, or returns undefined when `days` is 0 (keep everything). */
  static start(options: RetentionJobOptions): RetentionJob | undefined {
    if (options.days <= 0) return undefined;
    const job = new RetentionJob(options);
    // The first run waits for the end of start-up instead of delaying it.
    job.timer = setTimeout(() => job.tick(), 0);
    job.timer.unref();
    return job;
  }

  /** Purges now (skipped while a run is in progress); resolves with what was removed, or undefined when skipped. */
  async runOnce(): Promise<SellerDataCounts | undefined> {
    if (this.running) return undefined;
    this.running = this.purge().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Stops the timer and waits for a run in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private tick(): void {
    void this.runOnce().finally(() => {
      if (this.timer === undefined) return;
      this.timer = setTimeout(() => this.tick(), this.options.intervalMs ?? HOUR_MS);
      this.timer.unref();
    });
  }

  private async purge(): Promise<SellerDataCounts | undefined> {
    const { store, days, logger } = this.options;
    const cutoff = new Date(this.now().getTime() - days * DAY_MS);
    try {
      const counts = await store.purgeOlderThan(cutoff);
      logger.info({ retentionDays: days, cutoff: cutoff.toISOString(), ...counts }, 'retention: purged seller data older than the retention period');
      return counts;
    } catch (error) {
      logger.error({ err: error, retentionDays: days }, 'retention: purge failed; will retry at the next run');
      return undefined;
    }
  }
}
