/**
 * `npm run fuzz -- --requests N [--seed S] [--concurrency C]`: a long fuzz run against a real server process,
 * printing totals; exits 1 on any crash, 5xx, hang, unanswered request, leak or file written to disk.
 */
import { parseArgs } from 'node:util';
import { runFuzz } from './fuzz-runner.js';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '10000' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
    concurrency: { type: 'string', default: '8' },
  },
});
const requests = Number(values.requests);
const seed = Number(values.seed);
const concurrency = Number(values.concurrency);
if (![requests, seed, concurrency].every((n) => Number.isInteger(n) && n >= 0) || concurrency < 1) {
  process.stderr.write('usage: npm run fuzz -- --requests N [--seed S] [--concurrency C]\n');
  process.exit(2);
}

const totals = await runFuzz({ requests, seed, concurrency, timeoutMs: 20_000, progress: (line) => process.stdout.write(`${line}\n`) });
const failures =
  totals.serverErrors.length + totals.hangs.length + totals.unanswered.length + totals.leaks.length + totals.tempFiles.length +
  totals.healthFailures + (totals.crashed ? 1 : 0) + (totals.raceOk ? 0 : 1);
process.stdout.write(
  [
    `seed ${seed}, ${totals.requests} requests in ${totals.seconds} s (concurrency ${concurrency})`,
    `by status class: ${JSON.stringify(totals.byStatusClass)}; connections closed unanswered (allowed: oversized/malformed): ${totals.resets}`,
    `crashes: ${totals.crashed ? 1 : 0}, hangs: ${totals.hangs.length}, 5xx: ${totals.serverErrors.length}, unanswered: ${totals.unanswered.length}, ` +
      `leaks: ${totals.leaks.length}, health failures: ${totals.healthFailures}, temp files: ${totals.tempFiles.length}, parallel posts ok: ${totals.raceOk}`,
    ...[...totals.serverErrors, ...totals.hangs, ...totals.unanswered, ...totals.leaks, ...totals.tempFiles].slice(0, 20).map((line) => `  ${line}`),
    '',
  ].join('\n'),
);
process.exit(failures > 0 ? 1 : 0);
