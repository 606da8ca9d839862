/**
 * Child process of `directline-channel.bench.ts`: the real product (buildApp, real bot, product storage) and,
 * on a second port, a bare restify JSON echo route with the same server setup, as the baseline, and on a third the
 * Direct Line channel with a repeat-only bot (the channel's own cost). Storage is the product default, SQLite in a
 * temporary DATA_DIR (BENCH_STORAGE=memory for memory, BENCH_STORAGE=postgres for PostgreSQL at DATABASE_URL, schema
 * bench_channel; several of these processes share it as instances of one deployment).
 * Talks to the parent over IPC: sends `{ type: 'ready', port, echoPort }`, answers `stats` with memory figures.
 */
import { mkdtempSync } from 'node:fs';
import pg from 'pg';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../src/config.js';
import { buildApp } from '../src/app.js';
import { createLogger } from '../src/logger.js';
import { createServer } from '../src/server/create-server.js';
import { registerDirectLineRoutes } from '../src/server/directline.routes.js';
import { DirectLineChannel } from '../src/channels/directline/directline-channel.js';
import { MemoryConversationStore } from '../src/channels/directline/memory-conversation-store.js';
import { SyncStoreAdapter } from '../src/channels/directline/sync-store-adapter.js';
import { createProbeEchoBot } from '../src/channels/directline/probe-echo-bot.js';

const SECRET = process.env.BENCH_SECRET ?? 'bench-secret-0123456789abcdef';
const STORAGE = process.env.BENCH_STORAGE === 'memory' || process.env.BENCH_STORAGE === 'postgres' ? process.env.BENCH_STORAGE : 'sqlite';
const BENCH_SCHEMA = 'bench_channel';

/**
 * Drops what an earlier run left in the bench schema (only the first of several instances does: BENCH_FRESH_SCHEMA=0
 * for the others, which join its schema); returns the connection string to use.
 */
async function freshBenchSchema(): Promise<string> {
  const url = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
  if (process.env.BENCH_FRESH_SCHEMA === '0') return url;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${BENCH_SCHEMA} CASCADE`);
  } finally {
    await client.end();
  }
  return url;
}

async function main(): Promise<void> {
  const config = parseConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    STORAGE: STORAGE,
    // BENCH_STORAGE=postgres: DATABASE_URL (default: the machine's test server), in a schema emptied first.
    ...(STORAGE === 'postgres'
      ? { DATABASE_URL: await freshBenchSchema(), DATABASE_SCHEMA: BENCH_SCHEMA }
      : {}),
    DATA_DIR: mkdtempSync(join(tmpdir(), 'dl-bench-')),
    DIRECTLINE_SECRET: SECRET,
  });
  const app = await buildApp(config);
  const port = await app.listen();

  const echo = createServer(createLogger('silent'));
  echo.post('/echo', async (req, res) => {
    res.send(200, req.body);
  });
  const echoPort = await new Promise<number>((resolve) => echo.listen(0, '127.0.0.1', () => resolve(echo.address().port)));

  // The same channel and routes with a bot that only repeats: what the channel itself costs per turn.
  const logger = createLogger('silent');
  const probe = createServer(logger);
  const probeChannel = new DirectLineChannel({
    bot: createProbeEchoBot(),
    middleware: [],
    onTurnError: async () => undefined,
    store: new SyncStoreAdapter(new MemoryConversationStore()),
    config,
    logger,
    secret: SECRET,
  });
  registerDirectLineRoutes(probe, probeChannel, config, logger);
  const probePort = await new Promise<number>((resolve) => probe.listen(0, '127.0.0.1', () => resolve(probe.address().port)));

  process.on('message', (message: { type?: string }) => {
    if (message.type !== 'stats') return;
    // GC first so RSS shows what is kept, not garbage; skipped for CPU samples during load.
    const gc = (globalThis as { gc?: () => void }).gc;
    if ((message as { gc?: boolean }).gc !== false) {
      gc?.();
      gc?.();
    }
    process.send?.({ type: 'stats', memory: process.memoryUsage(), cpu: process.cpuUsage() });
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ type: 'ready', port, echoPort, probePort });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench server failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
