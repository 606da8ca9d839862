import { describe, expect, it } from 'vitest';
import { runFuzz } from './fuzz-runner.js';

// A short run inside `npm test`; `npm run fuzz -- --requests N` runs longer ones. The seed changes daily so CI
// explores new inputs over time; a failure prints it, and `npm run fuzz -- --seed <seed>` replays the run.
const seed = Number(new Date().toISOString().slice(0, 10).replace(/-/g, '')) % 1_000_000;

describe('fuzzing the real server process', () => {
  it(`survives 1,500 hostile requests (seed ${seed}): no crash, no 5xx, no hang, no leak between conversations`, async () => {
    const totals = await runFuzz({ requests: 1500, seed, concurrency: 8, timeoutMs: 20_000 });
    expect(totals.crashed).toBe(false);
    expect(totals.healthFailures).toBe(0);
    expect(totals.serverErrors).toEqual([]);
    expect(totals.hangs).toEqual([]);
    expect(totals.unanswered).toEqual([]);
    expect(totals.leaks).toEqual([]);
    expect(totals.tempFiles).toEqual([]);
    expect(totals.raceOk).toBe(true);
    expect(totals.requests).toBe(1500);
    // The mix must reach the routes, not only their refusals.
    expect(totals.byStatusClass['2xx'] ?? 0).toBeGreaterThan(50);
  }, 240_000);
});
