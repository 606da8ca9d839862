import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../console/console-harness.js';
import { REPO_ROOT, ServerProcess } from '../durability/server-process.js';
import { pgTestSchema } from '../storage/pg-test-schema.js';
import { makeTempDataDir } from '../storage/temp-data-dir.js';
import { ClusterSeller, type Instance } from './cluster-seller.js';
import { describeHistory, historyProblems, QUESTIONS, streamProblems } from './history-checks.js';

/**
 * Issue 12: several instances of the bot on one PostgreSQL schema behind a load balancer without sticky sessions.
 * Three real server processes; sellers get their token from one instance, keep their stream on another and send
 * their messages round-robin to all three; one instance is killed with SIGKILL in the middle of the burst.
 */
const SECRET = randomBytes(24).toString('base64url');
const ADMIN_PASSWORD = 'cluster-admin-password-1';
const INSTANCES = 3;
const CONVERSATIONS = 12;
const MESSAGES_PER_CONVERSATION = 6;
/** Killed once this many messages (of 72) were acknowledged: turns are still queued and streams open on it. */
const KILL_AFTER_ACKS = 24;
/** The instance killed; the console is then used on the third one. */
const VICTIM = 1;
/** How long the survivors get to answer everything and feed every stream after the burst. */
const SETTLE_MS = 25_000;

const pg = pgTestSchema();
const dataDirs = Array.from({ length: INSTANCES }, () => makeTempDataDir('cxt-cluster-'));
const servers: ServerProcess[] = [];
const instances: Instance[] = [];
const sellers: ClusterSeller[] = [];
/** The history of the first conversation found wrong, line by line, for the failure message. */
let firstWrongHistory = '';

beforeAll(async () => {
  const env = (i: number): Record<string, string> => ({
    STORAGE: 'postgres',
    DATABASE_URL: pg.connectionString,
    DATABASE_SCHEMA: pg.schema,
    DATABASE_POOL_MAX: '5',
    DIRECTLINE_SECRET: SECRET,
    CONSOLE_ADMIN_PASSWORD: ADMIN_PASSWORD,
    DATA_DIR: dataDirs[i]!.dir,
    LOG_LEVEL: 'silent',
  });
  // Started together, as an orchestrator starts replicas: migrations and the first administrator race on purpose.
  const started = await Promise.allSettled(Array.from({ length: INSTANCES }, (_, i) => ServerProcess.start(env(i))));
  for (const result of started) if (result.status === 'fulfilled') servers.push(result.value);
  const failed = started.flatMap((result, i) => (result.status === 'rejected' ? [`instance ${i}: ${String(result.reason)}`] : []));
  if (failed.length > 0) throw new Error(`instances did not start together on one schema:\n${failed.join('\n')}`);
  servers.forEach((server, i) => instances.push({ name: `instance ${i}`, baseUrl: server.baseUrl }));
}, 90_000);

afterAll(async () => {
  for (const seller of sellers) seller.end();
  await Promise.all(servers.map((server) => server.kill()));
  for (const dir of dataDirs) dir.remove();
  await pg.drop();
});

/** The instances' last stderr and each seller's stream story, printed when a test fails. */
function diagnostics(): string {
  const processes = servers.map((s, i) => `instance ${i} (${s.isRunning() ? 'running' : 'exited'}): ${s.stderrTail().slice(-1500) || '(no stderr)'}`);
  const streams = sellers.map((s) => `${s.conversationId}: stream ${s.connections.join(' -> ')}${s.problems.length ? `; ${s.problems.join('; ')}` : ''}`);
  return [...processes, ...streams, firstWrongHistory].join('\n');
}

/** Every problem of every conversation, labelled, after re-reading the histories from a live instance. */
async function clusterProblems(): Promise<string[]> {
  const all: string[] = [];
  for (const [i, seller] of sellers.entries()) {
    const history = await seller.history();
    const label = `conversation ${i} (${seller.conversationId})`;
    const problems = [...historyProblems(history, seller.acked), ...streamProblems(seller.streamed, history), ...seller.problems];
    if (problems.length > 0 && all.length === 0) firstWrongHistory = `${label}, history:\n${describeHistory(history)}`;
    for (const problem of problems) all.push(`${label}: ${problem}`);
  }
  return all;
}

describe('three instances on one PostgreSQL schema, no sticky sessions', () => {
  it('a burst of conversations survives kill -9 of one instance: nothing lost or doubled, turns in order, streams resume', { timeout: 60_000 }, async ({ onTestFailed }) => {
    onTestFailed(() => console.error(`cluster diagnostics:\n${diagnostics()}`));
    for (let i = 0; i < CONVERSATIONS; i++) {
      // Token (and conversation start) on one instance, stream on the next one.
      sellers.push(await ClusterSeller.open(instances, SECRET, i % INSTANCES, (i + 1) % INSTANCES));
    }
    const onVictim = sellers.filter((s) => s.streamInstance === instances[VICTIM]!.name);

    let acks = 0;
    let killing: Promise<void> | undefined;
    let acksAtKill = 0;
    const unanswered: string[] = [];
    await Promise.all(
      sellers.map(async (seller, i) => {
        // One message after the other per conversation (each acknowledged before the next is sent, not answered),
        // each to the next instance: consecutive turns of a conversation are accepted by different instances.
        for (let k = 0; k < MESSAGES_PER_CONVERSATION; k++) {
          const question = QUESTIONS[(i + k) % QUESTIONS.length]!;
          const id = await seller.say(question.ask, (i + k) % INSTANCES, `c${i}-m${k}`);
          if (!id) unanswered.push(`conversation ${i} message ${k}: no instance acknowledged it`);
          acks += 1;
          if (acks === KILL_AFTER_ACKS) {
            acksAtKill = acks;
            killing = servers[VICTIM]!.kill();
          }
        }
      }),
    );
    await killing;
    expect(unanswered, 'every message is acknowledged by some live instance').toEqual([]);
    expect(acksAtKill, 'the kill came in the middle of the burst').toBeLessThan(CONVERSATIONS * MESSAGES_PER_CONVERSATION);
    expect(servers[VICTIM]!.isRunning()).toBe(false);

    // The survivors answer every message (also those the dead instance had accepted) and feed every stream.
    const deadline = Date.now() + SETTLE_MS;
    let problems = await clusterProblems();
    while (problems.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      problems = await clusterProblems();
    }
    expect(problems, `after ${SETTLE_MS / 1000} s`).toEqual([]);
    for (const seller of onVictim) {
      expect(seller.connections.length, `${seller.conversationId} resumed its stream on another instance`).toBeGreaterThan(1);
    }
    expect(servers.filter((s, i) => i !== VICTIM && !s.isRunning()), 'the other instances still run').toEqual([]);
  });

  it('the console on the third instance lists every conversation; two instances taking one over at once: one winner', { timeout: 30_000 }, async ({ onTestFailed }) => {
    onTestFailed(() => console.error(`cluster diagnostics:\n${diagnostics()}`));
    expect(sellers.length, 'the conversations of the burst').toBe(CONVERSATIONS);
    const third = await signIn(instances[2]!.baseUrl, 'admin', ADMIN_PASSWORD);
    const res = await third.get('/api/console/conversations?limit=500');
    expect(res.status).toBe(200);
    const listed = ((await res.json()) as { conversations: { conversationId: string }[] }).conversations.map((c) => c.conversationId);
    expect(sellers.map((s) => s.conversationId).filter((id) => !listed.includes(id)), 'conversations missing from the console').toEqual([]);

    const first = await signIn(instances[0]!.baseUrl, 'admin', ADMIN_PASSWORD);
    const seller = sellers[0]!;
    const path = `/api/console/conversations/${encodeURIComponent(seller.conversationId)}/takeover`;
    const answers = await Promise.all([first.post(path), third.post(path)]);
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses, 'one takeover wins, the other is refused as a conflict').toEqual([200, 409]);

    // The seller is told once that a person joined.
    const joined = acceptedText('admin');
    const deadline = Date.now() + 10_000;
    let told = 0;
    while (Date.now() < deadline) {
      told = (await seller.history()).filter((a) => a.text === joined).length;
      if (told > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    told = (await seller.history()).filter((a) => a.text === joined).length;
    expect(told, `the seller reads "${joined}" exactly once`).toBe(1);
    const detail = await third.get(`/api/console/conversations/${encodeURIComponent(seller.conversationId)}`);
    expect(await detail.json()).toMatchObject({ conversation: { handoffState: 'agent', assignedAgent: 'admin' } });
  });
});

/** What the seller reads when staff member `name` takes the conversation over. */
function acceptedText(name: string): string {
  const escalation = JSON.parse(readFileSync(join(REPO_ROOT, 'locales', 'zh-CN', 'escalation.json'), 'utf8')) as { accepted: string };
  return escalation.accepted.replace('{{name}}', name);
}
