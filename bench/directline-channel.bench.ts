/**
 * Direct Line channel benchmark (`npm run bench:channel`).
 *
 * 1. N concurrent seller conversations over the real channel (HTTP POST + WebSocket stream on loopback) with the
 *    real bot: each posts a question, waits for the bot's first reply on its stream, posts the next. Prints turns/s
 *    and p50/p99 post->reply latency; in the same run, a bare restify JSON echo route under the same load (baseline)
 *    and the ratio.
 * 2. IDLE conversations opened (each with its welcome delivered and its WebSocket kept open): server RSS right after
 *    opening them, and again after 30 s without traffic.
 *
 * 3. With `--rate R`: the real bot under a fixed offered load of R turns/s (open-loop arrivals over the N
 *    conversations): achieved turns/s and p50/p99 latency from each arrival's scheduled time.
 *
 * The server runs in a child process, so the load generator's CPU and memory are not counted against it.
 * The same channel with a repeat-only bot is measured too, to tell the channel's cost from the bot's.
 * Flags (see channel-bench-options.ts; the older env vars still work): --conversations N (BENCH_N, 50), --seconds S
 * (BENCH_SECONDS, 10), --idle N (BENCH_IDLE, 10000), --storage sqlite|memory|postgres (BENCH_STORAGE; sqlite is the
 * product default; postgres at DATABASE_URL, default the machine's test server, schema bench_channel),
 * --only bot (BENCH_ONLY=bot: skip the echo and repeat-bot phases) or --only idle (only phase 2), --rate R,
 * --instances N (N server processes on one PostgreSQL schema, only the real bot's load: conversations are spread
 * round-robin, each posting to one instance and streaming from the next), --json (a BENCH_RESULT line at the end).
 * `npm run bench:channel` builds first and runs the compiled JS, as `npm start` does; `tsx bench/directline-channel.bench.ts`
 * measures the TypeScript sources through tsx instead (more memory, slower start).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { basename, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus, loadavg } from 'node:os';
import { WebSocket } from 'ws';
import { ROOT_DIR } from '../src/app.js';
import { parseChannelBenchOptions } from './channel-bench-options.js';
import { openLoop, type OpenLoopResult } from './open-loop.js';

const OPTIONS = parseChannelBenchOptions(process.argv.slice(2), process.env);
const N = OPTIONS.conversations;
const SECONDS = OPTIONS.seconds;
const IDLE = OPTIONS.idle;
const WARMUP_MS = 2000;
const IDLE_SETTLE_MS = 30_000;
const SECRET = 'bench-secret-0123456789abcdef';
// Several instances: only the real bot's load (the echo, repeat-bot and idle phases are one process's figures).
const BOT_ONLY = OPTIONS.only === 'bot' || OPTIONS.instances > 1;
const IDLE_ONLY = OPTIONS.only === 'idle';

interface Server {
  child: ChildProcess;
  port: number;
  echoPort: number;
  probePort: number;
}

// The server runs what this file runs: compiled JS from dist/ (`npm run bench:channel`, as `npm start`), or TypeScript
// through tsx when this file is started with tsx.
const SELF = fileURLToPath(import.meta.url);
const SERVER_FILE = join(SELF, '..', `directline-bench-server${extname(SELF)}`);

/** One server process; `freshSchema` false joins the PostgreSQL schema another instance prepared. */
async function startServer(freshSchema = true): Promise<Server> {
  const child = fork(SERVER_FILE, [], {
    execArgv: [
      ...(extname(SELF) === '.ts' ? ['--import', 'tsx'] : []),
      '--expose-gc',
      '--no-deprecation',
      '--max-old-space-size=1024',
      // BENCH_PROFILE=<dir> writes a CPU profile of the server (on exit) for hunting hot spots.
      ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []),
    ],
    env: { ...process.env, BENCH_SECRET: SECRET, BENCH_STORAGE: OPTIONS.storage, BENCH_FRESH_SCHEMA: freshSchema ? '1' : '0' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<{ port: number; echoPort: number; probePort: number }>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    child.on('message', (m: { type: string; port: number; echoPort: number; probePort: number }) => {
      if (m.type === 'ready') resolve(m);
    });
  });
  child.on('exit', (code, signal) => {
    if (!stopping.has(child)) process.stderr.write(`bench server exited before it was stopped: code ${code}, signal ${signal}\n`);
    else if (code !== 0 && signal !== 'SIGTERM') process.stderr.write(`bench server exited: code ${code}, signal ${signal}\n`);
  });
  return { child, ...ready };
}

/** `count` instances: the first prepares the schema, the others then start together and join it. */
async function startServers(count: number): Promise<Server[]> {
  const first = await startServer(true);
  const others = await Promise.all(Array.from({ length: count - 1 }, () => startServer(false)));
  return [first, ...others];
}

/** Servers being stopped on purpose: any other exit is reported. */
const stopping = new WeakSet<ChildProcess>();

/** Lets the child exit by itself (so a CPU profile is written), then makes sure it is gone. */
async function stop(server: Server): Promise<void> {
  stopping.add(server.child);
  const exited = new Promise<void>((resolve) => server.child.once('exit', () => resolve()));
  server.child.disconnect();
  const timer = setTimeout(() => server.child.kill(), 5000);
  await exited;
  clearTimeout(timer);
}

interface ServerStats {
  memory: NodeJS.MemoryUsage;
  cpu: NodeJS.CpuUsage;
}

async function stats(server: Server, gc = true): Promise<ServerStats> {
  return new Promise((resolve) => {
    const onMessage = (m: { type: string } & ServerStats): void => {
      if (m.type !== 'stats') return;
      server.child.off('message', onMessage);
      resolve(m);
    };
    server.child.on('message', onMessage);
    server.child.send({ type: 'stats', gc });
  });
}

/** Runs a load and reports the CPU share (of one core) the server(s) and this load generator used meanwhile. */
async function withCpu<T>(server: Server | Server[], load: () => Promise<T>): Promise<T & { serverCpu: number; clientCpu: number }> {
  const servers = Array.isArray(server) ? server : [server];
  const used = (cpu: NodeJS.CpuUsage[]): number => cpu.reduce((sum, c) => sum + c.user + c.system, 0);
  const serverBefore = used(await Promise.all(servers.map(async (s) => (await stats(s, false)).cpu)));
  const clientBefore = process.cpuUsage();
  const t0 = performance.now();
  const result = await load();
  const wall = (performance.now() - t0) * 1000;
  const serverAfter = used(await Promise.all(servers.map(async (s) => (await stats(s, false)).cpu)));
  const clientAfter = process.cpuUsage(clientBefore);
  const serverUsed = serverAfter - serverBefore;
  return { ...result, serverCpu: serverUsed / wall, clientCpu: (clientAfter.user + clientAfter.system) / wall };
}

// Server CPU per request is steadier than requests per second when other work shares the machine.
const cpu = (r: { serverCpu: number; clientCpu: number; perSecond: number }): string =>
  `[cpu: server ${(r.serverCpu * 100).toFixed(0)}% (${((r.serverCpu * 1000) / r.perSecond).toFixed(2)} ms per request), ` +
  `load generator ${(r.clientCpu * 100).toFixed(0)}% of a core]`;

// One keep-alive pool per bench server: reset between phases so no socket outlives its server.
let agent = new Agent({ keepAlive: true, maxSockets: 256 });

function post(port: number, path: string, body: unknown, token?: string): Promise<{ status: number; body: any }> {
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(data),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

function get(port: number, path: string, token: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Seller questions from the NLU training data (FAQ intents), so that every turn gets a real answer. */
function questions(): string[] {
  const lines = readFileSync(join(ROOT_DIR, 'locales', 'zh-CN', 'utterances.train.jsonl'), 'utf8').split('\n');
  const picked: string[] = [];
  for (const line of lines) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as { text: string; expect?: string[] };
    if (row.expect?.some((intent) => intent.startsWith('faq.'))) picked.push(row.text);
    if (picked.length >= 30) break;
  }
  return picked.length > 0 ? picked : ['hello'];
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface LoadResult {
  perSecond: number;
  p50: number;
  p99: number;
  count: number;
}

/** Runs `workers` closed loops of `once()` for WARMUP_MS + SECONDS; latencies of the measured window only. */
async function closedLoop(workers: number, once: (worker: number) => Promise<void>): Promise<LoadResult> {
  const latencies: number[] = [];
  const start = performance.now();
  const measureFrom = start + WARMUP_MS;
  const end = measureFrom + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      while (performance.now() < end) {
        const t0 = performance.now();
        await once(worker);
        const t1 = performance.now();
        if (t0 >= measureFrom && t1 <= end) latencies.push(t1 - t0);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { perSecond: latencies.length / SECONDS, p50: percentile(latencies, 50), p99: percentile(latencies, 99), count: latencies.length };
}

interface Conversation {
  id: string;
  token: string;
  /** Where this conversation's messages go (its stream may be on another instance). */
  postPort: number;
  ws: WebSocket;
  /** Resolvers waiting for the bot's first reply to a client activity id. */
  waiting: Map<string, () => void>;
  /** Server id of the seller's activity -> client activity id. */
  echoes: Map<string, string>;
  welcomed: Promise<void>;
}

/** Starts a conversation on `port`; its stream is opened on `streamPort` (resumed there from the start). */
async function openConversation(port: number, streamPort = port): Promise<Conversation> {
  const started = await post(port, '/v3/directline/conversations', {}, SECRET);
  if (started.status !== 201) throw new Error(`start conversation: ${started.status} ${JSON.stringify(started.body)}`);
  let streamUrl = started.body.streamUrl as string;
  if (streamPort !== port) {
    const resumed = await get(streamPort, `/v3/directline/conversations/${started.body.conversationId}?watermark=`, started.body.token);
    if (resumed.status !== 200) throw new Error(`resume conversation on another instance: ${resumed.status} ${JSON.stringify(resumed.body)}`);
    streamUrl = resumed.body.streamUrl as string;
  }
  const ws = new WebSocket(streamUrl, { perMessageDeflate: false });
  let welcomed!: () => void;
  const conversation: Conversation = {
    id: started.body.conversationId,
    token: started.body.token,
    postPort: port,
    ws,
    waiting: new Map(),
    echoes: new Map(),
    welcomed: new Promise<void>((resolve) => (welcomed = resolve)),
  };
  ws.on('message', (data) => {
    const text = String(data);
    if (!text) return;
    const frame = JSON.parse(text) as { activities: { type: string; id: string; replyToId?: string; from: { role?: string }; channelData?: { clientActivityID?: string } }[] };
    for (const activity of frame.activities) {
      if (activity.type !== 'message') continue;
      if (activity.from.role === 'user') {
        const clientId = activity.channelData?.clientActivityID;
        if (clientId) conversation.echoes.set(activity.id, clientId);
      } else if (activity.replyToId) {
        const clientId = conversation.echoes.get(activity.replyToId);
        const done = clientId ? conversation.waiting.get(clientId) : undefined;
        if (clientId && done) {
          conversation.waiting.delete(clientId);
          conversation.echoes.delete(activity.replyToId);
          done();
        }
      } else {
        welcomed();
      }
    }
  });
  ws.on('error', (error) => process.stderr.write(`ws error: ${error.message}\n`));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`stream refused: ${res.statusCode}`)));
  });
  return conversation;
}

/** Closes the streams and waits for the closing handshakes (at most 10 s). */
async function closeAll(conversations: Conversation[]): Promise<void> {
  const closed = Promise.all(
    conversations.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.ws.readyState === WebSocket.CLOSED) return resolve();
          c.ws.once('close', () => resolve());
          c.ws.close();
        }),
    ),
  );
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 10_000))]);
}

let sequence = 0;
async function turn(port: number, conversation: Conversation, text: string): Promise<void> {
  const clientActivityID = `b${++sequence}`;
  const replied = new Promise<void>((resolve) => conversation.waiting.set(clientActivityID, resolve));
  const res = await post(
    port,
    `/v3/directline/conversations/${conversation.id}/activities`,
    { type: 'message', text, locale: 'zh-CN', channelData: { clientActivityID } },
    conversation.token,
  );
  if (res.status !== 200) throw new Error(`post: ${res.status} ${JSON.stringify(res.body)}`);
  await within(replied, REPLY_TIMEOUT_MS, `no reply to ${res.body.id} on the stream of ${conversation.id}`);
}

/** A lost reply or welcome fails the run with a message instead of hanging it. */
const REPLY_TIMEOUT_MS = 15_000;
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function inBatches<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const ms = (value: number): string => `${value.toFixed(2)} ms`;

/** What the real bot's load gave: saturation (closed loop), and the fixed load when `--rate` is set. */
interface RealBotResult {
  readonly saturation: LoadResult;
  readonly fixed?: OpenLoopResult;
}

/**
 * N conversations with the product's real bot, each asking FAQ questions in a closed loop (saturation), then, with
 * `--rate`, the same conversations under a fixed offered load. Over several servers, conversation i posts to
 * server i mod n and streams from the next one.
 */
async function measureRealBot(servers: Server[]): Promise<RealBotResult> {
  const texts = questions();
  const conversations = await inBatches(N, 10, (i) =>
    openConversation(servers[i % servers.length]!.port, servers[(i + 1) % servers.length]!.port),
  );
  await within(Promise.all(conversations.map((c) => c.welcomed)), REPLY_TIMEOUT_MS, 'not every stream showed its welcome');
  const channel = await withCpu(servers, () =>
    closedLoop(N, (worker) => turn(conversations[worker]!.postPort, conversations[worker]!, texts[(sequence + worker) % texts.length]!)),
  );
  console.log(
    `channel   Direct Line turns (real bot): ${channel.perSecond.toFixed(0)} turns/s, p50 ${ms(channel.p50)}, p99 ${ms(channel.p99)} post->reply ${cpu(channel)}`,
  );
  let fixed: OpenLoopResult | undefined;
  if (OPTIONS.rate !== undefined) {
    const rate = OPTIONS.rate;
    const load = await withCpu(servers, () =>
      openLoop(rate, N, WARMUP_MS, SECONDS, (i) => turn(conversations[i]!.postPort, conversations[i]!, texts[(sequence + i) % texts.length]!)),
    );
    fixed = load;
    console.log(
      `fixed     ${rate} turns/s offered (open loop over ${N} conversations): ${load.perSecond.toFixed(0)} turns/s achieved, ` +
        `p50 ${ms(load.p50)}, p99 ${ms(load.p99)} from the scheduled arrival, ${load.errors} failed or unanswered ${cpu(load)}`,
    );
  }
  await closeAll(conversations);
  return { saturation: channel, ...(fixed ? { fixed } : {}) };
}

async function main(): Promise<void> {
  console.log(`Direct Line channel benchmark: N=${N} concurrent conversations, ${SECONDS}s measured after ${WARMUP_MS / 1000}s warm-up`);
  console.log(`storage   ${OPTIONS.storage === 'sqlite' ? 'sqlite (product default)' : OPTIONS.storage}, ${OPTIONS.instances} instance(s)`);
  console.log(`server    node ${process.version} ${basename(SERVER_FILE)}${extname(SELF) === '.ts' ? ' (TypeScript through tsx, not what npm start runs)' : ' (compiled, as npm start runs it)'}`);
  console.log(`machine   ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (other work on the machine skews every figure)`);
  if (IDLE_ONLY) {
    await measureIdle();
    agent.destroy();
    return;
  }
  const servers = await startServers(OPTIONS.instances);
  const server = servers[0]!;
  try {
    if (BOT_ONLY) {
      report(await measureRealBot(servers));
      return;
    }
    const echo = await withCpu(server, () =>
      closedLoop(N, async () => {
        const res = await post(server.echoPort, '/echo', { type: 'message', text: 'ping' });
        if (res.status !== 200) throw new Error(`echo: ${res.status}`);
      }),
    );
    console.log(`baseline  bare restify JSON echo : ${echo.perSecond.toFixed(0)} req/s, p50 ${ms(echo.p50)}, p99 ${ms(echo.p99)} ${cpu(echo)}`);

    const probeConversations = await inBatches(N, 10, () => openConversation(server.probePort));
    await Promise.all(probeConversations.map((c) => c.welcomed));
    const probe = await withCpu(server, () =>
      closedLoop(N, (worker) => turn(server.probePort, probeConversations[worker]!, 'ping')),
    );
    console.log(
      `channel   Direct Line turns (repeat bot): ${probe.perSecond.toFixed(0)} turns/s, p50 ${ms(probe.p50)}, p99 ${ms(probe.p99)} post->reply ${cpu(probe)}`,
    );

    await closeAll(probeConversations);
    const real = await measureRealBot(servers);
    const channel = real.saturation;
    console.log(
      `ratio     turns/s over echo req/s: real bot ${(channel.perSecond / echo.perSecond).toFixed(3)}, repeat bot ${(probe.perSecond / echo.perSecond).toFixed(3)}`,
    );
    report(real);
  } finally {
    await Promise.all(servers.map((s) => stop(s)));
    agent.destroy();
    agent = new Agent({ keepAlive: true, maxSockets: 256 });
  }
  if (IDLE <= 0) {
    agent.destroy();
    return;
  }

  await measureIdle();
  agent.destroy();
}

/** IDLE conversations opened on a fresh server (welcome delivered, WebSocket open): what the server keeps for them. */
async function measureIdle(): Promise<void> {
  const idleServer = await startServer();
  try {
    const before = (await stats(idleServer)).memory;
    const t0 = performance.now();
    const idle = await inBatches(IDLE, 50, () => openConversation(idleServer.port));
    await Promise.all(idle.map((c) => c.welcomed));
    const seconds = (performance.now() - t0) / 1000;
    const after = (await stats(idleServer)).memory;
    console.log(
      `idle      ${IDLE} open conversations (welcome delivered, WebSocket open), opened in ${seconds.toFixed(1)}s: ` +
        `server RSS ${mb(after.rss)} (empty server ${mb(before.rss)}; +${((after.rss - before.rss) / IDLE / 1024).toFixed(1)} KB each), heap used ${mb(after.heapUsed)}` +
        ` (heap total ${mb(after.heapTotal)}, external ${mb(after.external)}; empty server: heap used ${mb(before.heapUsed)}, heap total ${mb(before.heapTotal)})`,
    );
    // Right after the burst of openings V8 still holds the young generation and free pages it grew for it; at rest
    // its memory reducer gives them back (within 30 s in every run measured; after 10 s, not always). Both figures
    // matter: the first for a memory limit, the second for a server that has been idle a while.
    await new Promise((resolve) => setTimeout(resolve, IDLE_SETTLE_MS));
    const settled = (await stats(idleServer)).memory;
    console.log(
      `idle      same ${IDLE} conversations after ${IDLE_SETTLE_MS / 1000}s without traffic: server RSS ${mb(settled.rss)}, heap used ${mb(settled.heapUsed)} (heap total ${mb(settled.heapTotal)})`,
    );
    await closeAll(idle);
  } finally {
    await stop(idleServer);
  }
}

/** With --json, the figures as one machine-readable line (read by cluster-compare.bench.ts). */
function report(result: RealBotResult): void {
  if (!OPTIONS.json) return;
  const { storage, instances, rate, conversations, seconds } = OPTIONS;
  console.log(`BENCH_RESULT ${JSON.stringify({ storage, instances, rate, conversations, seconds, loadavg: loadavg(), ...result })}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${(error as Error).stack ?? String(error)}\n`);
  // A moment for the server's exit event, so a server that died (and how) is reported rather than just its resets.
  setTimeout(() => process.exit(1), 500);
});
