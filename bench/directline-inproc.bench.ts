/**
 * In-process turn cost of the Direct Line channel (`npm run bench:channel:inproc`): the real product (buildApp,
 * real bot, middleware, storage) driven through DirectLineChannel directly, without HTTP or WebSocket, so the
 * figure is what a turn costs the event loop. N conversations post a question, wait for the bot's reply on their
 * stream sink, post the next. Runs STORAGE=memory then STORAGE=sqlite in the same process run and prints event-loop
 * milliseconds per turn and their ratio: on a shared machine the ratio is steadier than either figure.
 * Env: BENCH_N (50), BENCH_SECONDS (8), BENCH_STORAGE (memory or sqlite: only that one, e.g. for a CPU profile).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseConfig } from '../src/config.js';
import { buildApp, ROOT_DIR } from '../src/app.js';
import type { DirectLineChannel, Principal } from '../src/channels/directline/directline-channel.js';

const N = Number(process.env.BENCH_N ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const WARMUP_MS = 2000;

function questions(): string[] {
  const texts: string[] = [];
  for (const line of readFileSync(join(ROOT_DIR, 'locales', 'zh-CN', 'utterances.train.jsonl'), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as { text: string; expect?: string[] };
    if (row.expect?.some((intent) => intent.startsWith('faq.'))) texts.push(row.text);
    if (texts.length >= 30) break;
  }
  return texts;
}

interface Result {
  perSecond: number;
  loopMsPerTurn: number;
  cpuMsPerTurn: number;
}

async function measure(storage: 'memory' | 'sqlite'): Promise<Result> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dl-inproc-'));
  const config = parseConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    STORAGE: storage,
    DATA_DIR: dataDir,
    DIRECTLINE_SECRET: 'bench-secret-0123456789abcdef',
  });
  const app = await buildApp(config);
  const channel = app.gateway as DirectLineChannel;
  const texts = questions();
  const conversations = await Promise.all(Array.from({ length: N }, async () => {
    const issued = await channel.issueWidgetToken('zh-CN', undefined);
    const waiting = new Map<string, () => void>();
    const early = new Set<string>();
    channel.attachStream(issued.conversationId, 0, {
      send: (frame) => {
        const { activities } = JSON.parse(frame) as { activities: { type: string; replyToId?: string; from: { role?: string } }[] };
        for (const activity of activities) {
          if (activity.type !== 'message' || activity.from.role === 'user' || !activity.replyToId) continue;
          const done = waiting.get(activity.replyToId);
          if (done) done();
          else early.add(activity.replyToId);
          waiting.delete(activity.replyToId);
        }
      },
      close: () => undefined,
    });
    const principal: Principal = channel.authenticate(`Bearer ${issued.token}`);
    return { id: issued.conversationId, principal, waiting, early };
  }));
  let sequence = 0;
  const run = async (ms: number): Promise<number> => {
    let turns = 0;
    const end = performance.now() + ms;
    await Promise.all(
      conversations.map(async (conversation, worker) => {
        while (performance.now() < end) {
          const text = texts[(sequence++ + worker) % texts.length]!;
          const { id } = await channel.postActivity(conversation.principal, conversation.id, { type: 'message', text, locale: 'zh-CN' });
          // The reply may come before the answer to the POST (both follow the same commit).
          if (!conversation.early.delete(id)) await new Promise<void>((resolve) => conversation.waiting.set(id, resolve));
          turns += 1;
        }
      }),
    );
    return turns;
  };
  await run(WARMUP_MS);
  const cpu0 = process.cpuUsage();
  const loop0 = performance.eventLoopUtilization();
  const t0 = performance.now();
  const turns = await run(SECONDS * 1000);
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const loop = performance.eventLoopUtilization(loop0);
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
  return { perSecond: (turns / wall) * 1000, loopMsPerTurn: loop.active / turns, cpuMsPerTurn: (cpu.user + cpu.system) / 1000 / turns };
}

const line = (label: string, r: Result): string =>
  `${label} ${r.perSecond.toFixed(0)} turns/s, event loop ${r.loopMsPerTurn.toFixed(2)} ms/turn, process CPU ${r.cpuMsPerTurn.toFixed(2)} ms/turn (all threads)`;

async function main(): Promise<void> {
  console.log(`Direct Line in-process turns: N=${N} conversations, ${SECONDS}s measured after ${WARMUP_MS / 1000}s warm-up`);
  const only = process.env.BENCH_STORAGE;
  if (only === 'memory' || only === 'sqlite') {
    console.log(line(`${only} `, await measure(only)));
    return;
  }
  const memory = await measure('memory');
  console.log(line('memory ', memory));
  const sqlite = await measure('sqlite');
  console.log(line('sqlite ', sqlite));
  console.log(`ratio   sqlite over memory event-loop time per turn: ${(sqlite.loopMsPerTurn / memory.loopMsPerTurn).toFixed(2)}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`benchmark failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
