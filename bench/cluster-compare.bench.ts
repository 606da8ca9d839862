/**
 * `npm run bench:cluster`: the comparison issue 12 asks for, in one run on this machine: SQLite vs PostgreSQL on one
 * instance, and 1 vs 2 instances on PostgreSQL, each at a fixed offered load (p50/p99) and at saturation (turns/s).
 * Every configuration is a fresh `directline-channel.bench` run (--only bot --json); figures are also given as
 * ratios against the baseline of the same run (SQLite x1 for the storage row, PostgreSQL x1 for the instance row),
 * since absolute figures on 2 shared cores move from run to run.
 * Flags: --rate R (offered load, default 100 turns/s), --seconds S (10), --conversations N (50).
 */
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

interface Figures {
  readonly saturation: { perSecond: number; p50: number; p99: number };
  readonly fixed: { offered: number; perSecond: number; p50: number; p99: number | null; errors: number };
  readonly loadavg: number[];
}

const { values } = parseArgs({
  options: { rate: { type: 'string', default: '100' }, seconds: { type: 'string', default: '10' }, conversations: { type: 'string', default: '50' } },
});
const SELF = fileURLToPath(import.meta.url);
const CHANNEL_BENCH = join(SELF, '..', `directline-channel.bench${extname(SELF)}`);
const CONFIGURATIONS = [
  { name: 'SQLite, 1 instance', args: ['--storage', 'sqlite'] },
  { name: 'PostgreSQL, 1 instance', args: ['--storage', 'postgres'] },
  { name: 'PostgreSQL, 2 instances', args: ['--storage', 'postgres', '--instances', '2'] },
] as const;

/** Runs one configuration; its output goes through, its BENCH_RESULT line is returned. */
function run(args: readonly string[]): Promise<Figures> {
  const common = ['--only', 'bot', '--json', '--rate', values.rate!, '--seconds', values.seconds!, '--conversations', values.conversations!];
  const child = spawn(process.execPath, [...process.execArgv, CHANNEL_BENCH, ...args, ...common], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    process.stdout.write(chunk);
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
      if (code !== 0 || !line) return reject(new Error(`${args.join(' ')}: exited ${code} without a result`));
      resolve(JSON.parse(line.slice('BENCH_RESULT '.length)) as Figures);
    });
  });
}

const num = (value: number | null, digits = 0): string => (value === null || !Number.isFinite(value) ? 'n/a' : value.toFixed(digits));
const ratio = (value: number | null, base: number | null): string =>
  value === null || base === null || !Number.isFinite(value) || !Number.isFinite(base) || base === 0 ? 'n/a' : `${(value / base).toFixed(2)}×`;

async function main(): Promise<void> {
  const started = new Date().toISOString();
  const before = loadavg();
  const results: (Figures | undefined)[] = [];
  for (const configuration of CONFIGURATIONS) {
    console.log(`\n=== ${configuration.name} ===`);
    // A configuration that fails (e.g. a lost reply) is reported and its row left empty; the others still run.
    results.push(await run(configuration.args).catch((error: unknown) => void console.error(String(error))));
  }
  const [sqlite, pg1, pg2] = results;
  const row = (name: string, figures: Figures | undefined, base: Figures | undefined, baseName: string): string => {
    if (!figures) return `| ${name} | failed | | | | |`;
    const { saturation: s, fixed: f } = figures;
    const against = baseName
      ? !base
        ? ` | n/a | n/a (${baseName} failed)`
        : ` | ${ratio(s.perSecond, base.saturation.perSecond)} | ${ratio(f.p50, base.fixed.p50)} / ${ratio(f.p99, base.fixed.p99)} (vs ${baseName})`
      : ' | 1.00× | 1.00× / 1.00× (baseline)';
    return `| ${name} | ${num(s.perSecond)} | ${num(f.perSecond)} of ${f.offered}${f.errors ? `, ${f.errors} failed` : ''} | ${num(f.p50, 1)} / ${num(f.p99, 1)} ms${against} |`;
  };
  console.log(`\nissue 12 comparison, ${started}, node ${process.version}, ${cpus().length} cores, load average before ${before.map((l) => l.toFixed(2)).join(' ')}, after ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`${values.conversations} conversations, ${values.seconds} s measured per phase; fixed load ${values.rate} turns/s offered (open loop)\n`);
  console.log('| configuration | saturation turns/s | fixed load: achieved turns/s | fixed load p50 / p99 | saturation ratio | p50 / p99 ratio |');
  console.log('|---|---:|---:|---:|---:|---:|');
  console.log(row('SQLite, 1 instance', sqlite, undefined, ''));
  if (results.some((r) => !r)) process.exitCode = 1;
  console.log(row('PostgreSQL, 1 instance', pg1, sqlite, 'SQLite ×1'));
  console.log(row('PostgreSQL, 2 instances', pg2, pg1, 'PostgreSQL ×1'));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:cluster failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
