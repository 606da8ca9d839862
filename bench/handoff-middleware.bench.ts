/**
 * Handoff middleware overhead (`npm run bench:handoff`).
 *
 * Runs the same turns (a seller message, the bot's trace and reply) through botbuilder's TestAdapter:
 *   baseline: no handoff middleware;
 *   memory:   HandoffMiddleware over the in-memory repositories;
 *   sqlite:   HandoffMiddleware over the SQLite repositories (WAL, synchronous=FULL) in a temp dir.
 * Prints ms per turn and the ratio to the baseline, plus the live fan-out cost with 20 console sockets' listeners.
 */
import { ActivityHandler, TestAdapter } from 'botbuilder';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { HandoffMiddleware } from '../src/bot/handoff.middleware.js';
import { createTranslator } from '../src/i18n/create-i18n.js';
import { loadLocaleResources } from '../src/i18n/load-locales.js';
import { createLogger } from '../src/logger.js';
import { HandoffService } from '../src/handoff/handoff-service.js';
import { createInMemoryHandoffRepositories } from '../src/handoff/in-memory.repositories.js';
import { LiveHub } from '../src/handoff/live-events.js';
import type { HandoffRepositories } from '../src/handoff/ports.js';
import type { SellerChannel } from '../src/handoff/seller-channel.js';
import { createSqliteStores } from '../src/storage/create-sqlite-stores.js';
import { findRootDir } from '../src/root-dir.js';

const TURNS = Number(process.argv[2] ?? 1500);
const CONVERSATIONS = 50;
const translator = createTranslator(loadLocaleResources(join(findRootDir(import.meta.dirname), 'locales')));
const logger = createLogger('silent');
const noChannel: SellerChannel = {
  sendAgentMessage: async () => {
    throw new Error('not used');
  },
  dispatchStatus: async () => undefined,
};

function bot(): ActivityHandler {
  const handler = new ActivityHandler();
  handler.onMessage(async (context, next) => {
    const text = context.activity.text ?? '';
    await context.sendActivity({ type: 'trace', name: 'nlu.recognition', value: { text, intent: 'faq.unbind', score: 0.9, alternatives: [], ambiguous: false } });
    await context.sendActivity(`answer to ${text}`);
    await next();
  });
  return handler;
}

async function run(label: string, repositories: HandoffRepositories | undefined, listeners = 0): Promise<number> {
  const live = new LiveHub();
  let delivered = 0;
  for (let i = 0; i < listeners; i += 1) live.subscribe((event) => (delivered += JSON.stringify(event).length > 0 ? 1 : 0));
  const adapters = Array.from({ length: CONVERSATIONS }, (_, i) => {
    const handler = bot();
    const adapter = new TestAdapter(async (context) => handler.run(context));
    adapter.conversation.conversation.id = `bench-${label}-${i}`;
    if (repositories) {
      const service = new HandoffService({ repositories, channel: noChannel, live, officeHours: { isOpen: () => true }, maxWaitSeconds: 300, onError: () => undefined });
      adapter.use(new HandoffMiddleware({ service, repositories, live, translator, defaultLocale: 'zh-CN', logger }));
    }
    return adapter;
  });
  // Warm-up, then the measured turns, round-robin over the conversations.
  for (const adapter of adapters) await adapter.send('warm up').assertReply('answer to warm up');
  const started = performance.now();
  for (let i = 0; i < TURNS; i += 1) {
    const adapter = adapters[i % CONVERSATIONS]!;
    await adapter.send(`q${i}`).assertReply(`answer to q${i}`);
  }
  const msPerTurn = (performance.now() - started) / TURNS;
  if (listeners > 0 && delivered === 0) throw new Error('no live events delivered');
  return msPerTurn;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'handoff-bench-'));
  const sqlite = createSqliteStores(dir, logger);
  try {
    // One discarded round so the JIT has warmed up the shared code paths before anything is measured.
    await run('jit', createInMemoryHandoffRepositories());
    const baseline = await run('baseline', undefined);
    const memory = await run('memory', createInMemoryHandoffRepositories());
    const withSqlite = await run('sqlite', sqlite.handoff);
    const fanOut = await run('fanout', createInMemoryHandoffRepositories(), 20);
    const row = (name: string, ms: number): string => `${name.padEnd(34)} ${ms.toFixed(3).padStart(8)} ms/turn   x${(ms / baseline).toFixed(2)}`;
    process.stdout.write(`handoff middleware, ${TURNS} turns over ${CONVERSATIONS} conversations (TestAdapter)\n`);
    process.stdout.write(`${row('baseline (no handoff middleware)', baseline)}\n`);
    process.stdout.write(`${row('handoff, in-memory repositories', memory)}\n`);
    process.stdout.write(`${row('handoff, SQLite repositories', withSqlite)}\n`);
    process.stdout.write(`${row('handoff, in-memory, 20 live sockets', fanOut)}\n`);
  } finally {
    sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
