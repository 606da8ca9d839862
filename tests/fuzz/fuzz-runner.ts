import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { TokenService } from '../../src/channels/directline/token-service.js';
import { ServerProcess } from '../durability/server-process.js';
import { fuzzCases, type FuzzCase, type FuzzContext } from './hostile-requests.js';
import { sendRaw } from './raw-http.js';

/** Options of {@link runFuzz}. */
export interface FuzzOptions {
  readonly requests: number;
  readonly seed: number;
  /** Requests in flight at once (races between them are part of the test). */
  readonly concurrency: number;
  /** A request not answered within this is a hang (generous: the machine is shared and loaded). */
  readonly timeoutMs: number;
  /** Progress lines (the CLI prints them; the test stays quiet). */
  readonly progress?: (line: string) => void;
}

/** What a run saw; a clean run has no crash, no 5xx, no hang, no leak, no file written. */
export interface FuzzTotals {
  requests: number;
  byStatusClass: Record<string, number>;
  /** Connections closed without an answer where that is allowed (oversized or malformed input). */
  resets: number;
  /** Connections closed without an answer where an answer was due. */
  unanswered: string[];
  hangs: string[];
  serverErrors: string[];
  /** Responses to a stranger that contained conversation A's marker. */
  leaks: string[];
  /** The process exited (crash) during the run. */
  crashed: boolean;
  /** /healthz checks (every 250 requests and at the end) that failed. */
  healthFailures: number;
  /** Files the server wrote to its TMPDIR (multipart uploads to disk). */
  tempFiles: string[];
  /** Parallel posts to one conversation: all acknowledged, each once, all in its history. */
  raceOk: boolean;
  seconds: number;
}

const SECRET = 'fuzz.secret-with.dots-0123456789';
const ADMIN_PASSWORD = 'fuzz-admin-password-1';

/**
 * Starts the real server as a child process (SQLite in a fresh DATA_DIR, its own TMPDIR), sets up two conversations
 * and a staff session, fires `requests` generated hostile requests at it, then checks that it still serves and that
 * parallel posts to one conversation all land. Never throws for findings: they are in the totals.
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzTotals> {
  const started = Date.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'fuzz-data-'));
  const tempDir = mkdtempSync(join(tmpdir(), 'fuzz-tmp-'));
  const server = await ServerProcess.start({
    DATA_DIR: dataDir,
    TMPDIR: tempDir,
    STORAGE: 'sqlite',
    LOG_LEVEL: 'error',
    DIRECTLINE_SECRET: SECRET,
    CONSOLE_ADMIN_PASSWORD: ADMIN_PASSWORD,
    TOKEN_RATE_LIMIT_PER_MINUTE: '100000',
  });
  const port = Number(new URL(server.baseUrl).port);
  const totals: FuzzTotals = {
    requests: 0,
    byStatusClass: {},
    resets: 0,
    unanswered: [],
    hangs: [],
    serverErrors: [],
    leaks: [],
    crashed: false,
    healthFailures: 0,
    tempFiles: [],
    raceOk: false,
    seconds: 0,
  };
  try {
    const ctx = await setUp(server.baseUrl);
    const cases = fc.sample(fuzzCases(ctx), { numRuns: options.requests, seed: options.seed });
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < cases.length && server.isRunning()) {
        const index = next++;
        await check(port, cases[index]!, ctx, options.timeoutMs, totals);
        if (index % 250 === 249) {
          if (!(await healthy(server.baseUrl))) totals.healthFailures++;
          options.progress?.(`${index + 1} requests, ${JSON.stringify(totals.byStatusClass)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    totals.raceOk = server.isRunning() && (await parallelPostsLand(server.baseUrl, ctx));
    if (!(await healthy(server.baseUrl))) totals.healthFailures++;
    totals.crashed = !server.isRunning();
    if (totals.crashed) options.progress?.(`server exited: ${server.stderrTail()}`);
    // tsx keeps its compile cache there too; anything else (restify's upload_* files) is a finding.
    totals.tempFiles = readdirSync(tempDir).filter((name) => !name.startsWith('tsx-'));
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(tempDir, { recursive: true, force: true });
  }
  totals.seconds = Math.round((Date.now() - started) / 100) / 10;
  return totals;
}

async function check(port: number, fuzzCase: FuzzCase, ctx: FuzzContext, timeoutMs: number, totals: FuzzTotals): Promise<void> {
  const response = await sendRaw(port, fuzzCase.request, timeoutMs);
  totals.requests++;
  if (response.timedOut) {
    totals.hangs.push(fuzzCase.label);
    return;
  }
  if (response.status === undefined) {
    if (fuzzCase.mayReset) totals.resets++;
    else totals.unanswered.push(`${fuzzCase.label} (${response.error ?? 'closed'})`);
    return;
  }
  const statusClass = `${Math.floor(response.status / 100)}xx`;
  totals.byStatusClass[statusClass] = (totals.byStatusClass[statusClass] ?? 0) + 1;
  if (response.status >= 500) totals.serverErrors.push(`${response.status} ${fuzzCase.label}: ${response.text.slice(-200)}`);
  if (!fuzzCase.entitledToA && response.text.includes(ctx.markerA)) totals.leaks.push(fuzzCase.label);
}

async function healthy(baseUrl: string): Promise<boolean> {
  try {
    const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(15_000) });
    return res.status === 200;
  } catch {
    return false;
  }
}

async function json(url: string, init: RequestInit): Promise<any> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  if (!res.ok) throw new Error(`fuzz set-up: ${init.method ?? 'GET'} ${url} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

/** Two Direct Line conversations (A holds a marker message), an expired token for A and a staff session. */
async function setUp(baseUrl: string): Promise<FuzzContext> {
  const start = (): Promise<{ conversationId: string; token: string }> =>
    json(`${baseUrl}/v3/directline/conversations`, { method: 'POST', headers: { authorization: `Bearer ${SECRET}` } });
  const a = await start();
  const b = await start();
  const markerA = `marker-${Math.random().toString(36).slice(2)}`;
  await json(`${baseUrl}/v3/directline/conversations/${a.conversationId}/activities`, {
    method: 'POST',
    headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'message', text: markerA }),
  });
  const user = (JSON.parse(Buffer.from(a.token.split('.')[1]!, 'base64url').toString('utf8')) as { user: string }).user;
  const expiredTokenA = new TokenService(SECRET, 1200, () => Date.now() - 3 * 3600_000).issue(a.conversationId, user).token;
  const login = await fetch(`${baseUrl}/api/console/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  if (login.status !== 200) throw new Error(`fuzz set-up: console sign-in answered ${login.status}`);
  const staffCookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return {
    secret: SECRET,
    conversationA: a.conversationId,
    tokenA: a.token,
    markerA,
    conversationB: b.conversationId,
    tokenB: b.token,
    expiredTokenA,
    staffCookie,
    csrfToken,
  };
}

/**
 * 20 posts to A at once: each is acknowledged with its own id or refused with 429 (the channel bounds a
 * conversation's unanswered messages), and every acknowledged one is in A's history afterwards.
 */
async function parallelPostsLand(baseUrl: string, ctx: FuzzContext): Promise<boolean> {
  const url = `${baseUrl}/v3/directline/conversations/${ctx.conversationA}/activities`;
  const headers = { authorization: `Bearer ${ctx.tokenA}`, 'content-type': 'application/json' };
  const texts = Array.from({ length: 20 }, (_, i) => `race-${i}-${ctx.markerA}`);
  const answers = await Promise.all(
    texts.map(async (text) => {
      const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ type: 'message', text }), signal: AbortSignal.timeout(30_000) });
      return { text, status: res.status, id: res.status === 200 ? ((await res.json()) as { id: string }).id : undefined };
    }),
  );
  const acknowledged = answers.filter((answer) => answer.status === 200);
  if (acknowledged.length === 0 || answers.some((answer) => answer.status !== 200 && answer.status !== 429)) return false;
  if (new Set(acknowledged.map((answer) => answer.id)).size !== acknowledged.length) return false;
  // The history comes in pages (500 activities); the fuzz mix has posted to A many times.
  const seen = new Set<string | undefined>();
  for (let watermark = ''; ; ) {
    const page = (await json(`${url}?watermark=${watermark}`, { headers })) as { activities: Array<{ text?: string }>; watermark: string };
    for (const activity of page.activities) seen.add(activity.text);
    if (page.activities.length === 0 || page.watermark === watermark) break;
    watermark = page.watermark;
  }
  return acknowledged.every((answer) => seen.has(answer.text));
}
