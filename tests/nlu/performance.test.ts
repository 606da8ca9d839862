import { describe, expect, it } from 'vitest';
import { loadIntentMatcher, readSplit } from '../../src/nlu/load-intent-matcher.js';
import { ROOT_DIR } from './nlu-test-root.js';

// Generous ceilings: the machine is shared with other test suites, so these catch order-of-magnitude regressions;
// `npm run bench:nlu` reports the real figures.
describe('IntentMatcher performance', () => {
  it('loads the shipped model quickly and classifies well under a millisecond at the median', () => {
    loadIntentMatcher(ROOT_DIR); // first call pays for module and regex compilation
    const started = performance.now();
    const matcher = loadIntentMatcher(ROOT_DIR);
    expect(performance.now() - started).toBeLessThan(1_000);

    const rows = readSplit(ROOT_DIR, 'test');
    for (const row of rows) matcher.recognize(row.text, row.locale);
    const latencies = rows.map((row) => {
      const t = performance.now();
      matcher.recognize(row.text, row.locale);
      return performance.now() - t;
    }).sort((a, b) => a - b);
    expect(latencies[Math.floor(latencies.length / 2)]).toBeLessThan(1);
  });
});
