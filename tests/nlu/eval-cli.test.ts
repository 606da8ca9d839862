import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT_DIR } from './nlu-test-root.js';

describe('npm run eval', () => {
  it('scores a labelled file and prints the headline figures, per-intent table and latency', () => {
    const result = spawnSync('npm', ['run', '--silent', 'eval', '--', 'tests/fixtures/eval/sample-utterances.jsonl'], {
      cwd: ROOT_DIR,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(0);
    for (const heading of ['overall accuracy:', 'in-scope accuracy:', 'out-of-scope rejection:', 'by locale:', 'latency ms:', '| intent | support |', 'confusions']) {
      expect(result.stdout).toContain(heading);
    }
    expect(result.stdout).toMatch(/\| faq\.one_click_unbind \| \d+ \| \d+ \| [\d.]+% \| [\d.]+% \|/);
  });

  it('reports a malformed file on stderr with its line number and exits 1', () => {
    const result = spawnSync('npm', ['run', '--silent', 'eval', '--', 'package.json'], { cwd: ROOT_DIR, encoding: 'utf8', timeout: 60_000 });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/package\.json:\d+/);
  });
});
