/** What a fixed offered load gave. */
export interface OpenLoopResult {
  /** Turns per second offered (the schedule). */
  readonly offered: number;
  /** Turns per second completed within the measured window. */
  readonly perSecond: number;
  /** Latency from each arrival's scheduled time to its completion, of the arrivals scheduled in the window. */
  readonly p50: number;
  readonly p99: number;
  readonly count: number;
  /** Arrivals whose turn failed (refused, e.g. 429 when a conversation has too many turns pending). */
  readonly errors: number;
  /** Arrivals of the window still unanswered when the wait after it ran out (counted as errors too). */
  readonly unfinished: number;
}

/** How long to wait, after the window, for the answers to its last arrivals. */
const DRAIN_MS = 30_000;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * Open-loop load: arrivals at `rate` per second on a fixed schedule, whether or not earlier turns have been
 * answered (as independent sellers arrive), spread round-robin over `targets`. Latency counts from the scheduled
 * time, so a server that falls behind shows it in the latency instead of silently receiving less load.
 */
export async function openLoop(
  rate: number,
  targets: number,
  warmupMs: number,
  seconds: number,
  once: (target: number) => Promise<void>,
): Promise<OpenLoopResult> {
  const latencies: number[] = [];
  const start = performance.now();
  const measureFrom = start + warmupMs;
  const end = measureFrom + seconds * 1000;
  const pending = new Set<Promise<void>>();
  let completedInWindow = 0;
  let errors = 0;
  let next = 0;
  for (;;) {
    const now = performance.now();
    if (now >= end) break;
    for (let at = start + (next * 1000) / rate; at <= now; at = start + (next * 1000) / rate) {
      const scheduled = at;
      const arrival: Promise<void> = once(next % targets).then(
        () => {
          const done = performance.now();
          if (done >= measureFrom && done <= end) completedInWindow += 1;
          if (scheduled >= measureFrom) latencies.push(done - scheduled);
        },
        () => {
          errors += 1;
        },
      );
      next += 1;
      pending.add(arrival);
      void arrival.finally(() => pending.delete(arrival));
    }
    const wait = start + (next * 1000) / rate - performance.now();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(wait, 50))));
  }
  let timer: NodeJS.Timeout | undefined;
  const drained = await Promise.race([
    Promise.all(pending).then(() => true),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), DRAIN_MS))),
  ]);
  clearTimeout(timer);
  const unfinished = drained ? 0 : pending.size;
  latencies.sort((a, b) => a - b);
  return {
    offered: rate,
    perSecond: completedInWindow / seconds,
    p50: percentile(latencies, 50),
    p99: unfinished > 0 ? Infinity : percentile(latencies, 99),
    count: latencies.length,
    errors: errors + unfinished,
    unfinished,
  };
}
