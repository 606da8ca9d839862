import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE_NAME } from '../../src/storage/sqlite-database.js';
import { DirectLine, RecordingClient } from '../channels/helpers/directline-client.js';
import { ONE_CLICK_QUESTION } from '../channels/helpers/expected-text.js';
import { request, startTestServer, type TestServer } from '../channels/helpers/test-server.js';
import { metricValue, waitForMetrics } from './prometheus-text.js';

const TOKEN = 'metrics-token-0123456789';
const isBotReplyTo = (id: string) => (a: { type: string; from: { role?: string }; replyToId?: string }) =>
  a.type === 'message' && a.from.role === 'bot' && a.replyToId === id;

async function scrape(url: string, token = TOKEN): Promise<string> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return res.text();
}

describe('GET /metrics and /readyz on a SQLite server with METRICS_TOKEN and METRICS_PORT', () => {
  let server: TestServer;
  let metricsBase: string;
  const clients: RecordingClient[] = [];

  beforeAll(async () => {
    server = await startTestServer({ STORAGE: 'sqlite', METRICS_TOKEN: TOKEN, METRICS_PORT: '0' });
    metricsBase = `http://127.0.0.1:${server.app.metricsPort}`;
  });
  afterAll(async () => {
    for (const client of clients) client.end();
    await server.close();
  });

  it('answers 401 without the token or with a wrong one, and never shows a figure', async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer wrong-token-0123456789' }, { authorization: `Basic ${TOKEN}` }];
    for (const headers of attempts) {
      const res = await fetch(`${server.base}/metrics`, { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('Bearer');
      const body = await res.text();
      expect(body).toContain('METRICS_UNAUTHORIZED');
      expect(body).not.toContain('cxtbot_');
    }
  });

  it('serves the Prometheus text format with process metrics and every product metric', async () => {
    const res = await fetch(`${server.base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    for (const name of [
      'process_cpu_user_seconds_total',
      'nodejs_eventloop_lag_seconds',
      'cxtbot_turns_total',
      'cxtbot_turn_duration_seconds',
      'cxtbot_nlu_recognitions_total',
      'cxtbot_nlu_fallbacks_total',
      'cxtbot_handoff_transitions_total',
      'cxtbot_handoff_queue_length',
      'cxtbot_handoff_queue_wait_seconds',
      'cxtbot_directline_open_streams',
      'cxtbot_storage_commit_seconds',
      'cxtbot_errors_total',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(metricValue(text, 'cxtbot_errors_total', { source: 'turn' })).toBe(0);
  });

  it('moves with traffic: turns, latency, intents, fallbacks, open streams, handoff and queue, commits', async () => {
    const before = await scrape(`${server.base}/metrics`);
    const turnsBefore = metricValue(before, 'cxtbot_turns_total', { channel: 'directline', type: 'message', outcome: 'ok' }) ?? 0;
    const commitsBefore = metricValue(before, 'cxtbot_storage_commit_seconds_count') ?? 0;
    expect(metricValue(before, 'cxtbot_directline_open_streams')).toBe(0);

    const generated = await request(`${server.domain}/tokens/generate`, { token: server.secret, body: {} });
    const seller = new RecordingClient(new DirectLine({ domain: server.domain, token: generated.body.token, webSocket: true }));
    clients.push(seller);
    const say = async (text: string, n: number): Promise<void> => {
      const id = await seller.say(text, `metrics-${n}`);
      await seller.waitFor(isBotReplyTo(id), `the bot's reply to "${text}"`, 20_000);
    };
    await say(ONE_CLICK_QUESTION, 1);
    await say('今天天气怎么样', 2);
    await say('转人工', 3);

    const during = await waitForMetrics(
      () => scrape(`${server.base}/metrics`),
      // A reply reaches the seller before its turn has ended (and been counted).
      (text) =>
        metricValue(text, 'cxtbot_handoff_queue_length') === 1 &&
        metricValue(text, 'cxtbot_turns_total', { channel: 'directline', type: 'message', outcome: 'ok' }) === turnsBefore + 3,
      'the seller in the queue and three turns counted',
    );
    expect(metricValue(during, 'cxtbot_directline_open_streams')).toBe(1);
    expect(metricValue(during, 'cxtbot_turns_total', { channel: 'directline', type: 'message', outcome: 'ok' })).toBe(turnsBefore + 3);
    expect(metricValue(during, 'cxtbot_turn_duration_seconds_count', { channel: 'directline' })).toBeGreaterThanOrEqual(turnsBefore + 3);
    expect(metricValue(during, 'cxtbot_nlu_recognitions_total', { intent: 'faq.one_click_unbind' })).toBe(1);
    expect(metricValue(during, 'cxtbot_nlu_recognitions_total', { intent: 'none' })).toBe(1);
    expect(metricValue(during, 'cxtbot_nlu_fallbacks_total')).toBe(1);
    expect(metricValue(during, 'cxtbot_handoff_transitions_total', { event: 'request', state: 'queued' })).toBe(1);
    expect(metricValue(during, 'cxtbot_storage_commit_seconds_count')).toBeGreaterThan(commitsBefore);
    expect(metricValue(during, 'cxtbot_errors_total', { source: 'turn' })).toBe(0);

    await say('取消', 4);
    const after = await waitForMetrics(
      () => scrape(`${server.base}/metrics`),
      (text) => metricValue(text, 'cxtbot_handoff_queue_length') === 0,
      'the queue emptied by the cancel',
    );
    expect(metricValue(after, 'cxtbot_handoff_transitions_total', { event: 'cancel', state: 'bot' })).toBe(1);
    expect(metricValue(after, 'cxtbot_handoff_queue_wait_seconds_count', { outcome: 'cancel' })).toBe(1);

    seller.end();
    await waitForMetrics(
      () => scrape(`${server.base}/metrics`),
      (text) => metricValue(text, 'cxtbot_directline_open_streams') === 0,
      'the stream closed',
    );
  }, 60_000);

  it('serves /metrics (token still required) and /readyz on METRICS_PORT, and nothing else there', async () => {
    expect((await fetch(`${metricsBase}/metrics`)).status).toBe(401);
    expect(await scrape(`${metricsBase}/metrics`)).toContain('cxtbot_turns_total');
    expect((await fetch(`${metricsBase}/readyz`)).status).toBe(200);
    expect((await fetch(`${metricsBase}/healthz`)).status).toBe(404);
    expect((await fetch(`${metricsBase}/v3/directline/conversations`, { method: 'POST' })).status).toBe(404);
  });

  it('/readyz is 503 with the reason while the schema is not the one this build expects; /healthz stays 200', async () => {
    expect(await request(`${server.base}/readyz`)).toMatchObject({ status: 200, body: { status: 'ready' } });
    const other = new Database(join(server.dataDir, DATABASE_FILE_NAME));
    const version = other.pragma('user_version', { simple: true }) as number;
    try {
      other.pragma(`user_version = ${version + 1}`);
      const notReady = await request(`${server.base}/readyz`);
      expect(notReady.status).toBe(503);
      expect(notReady.body.status).toBe('not_ready');
      expect(notReady.body.problems.join(' ')).toContain(`schema version ${version + 1}`);
      expect((await request(`${server.base}/healthz`)).status).toBe(200);
    } finally {
      other.pragma(`user_version = ${version}`);
      other.close();
    }
    expect((await request(`${server.base}/readyz`)).status).toBe(200);
  });
});

describe('defaults: no METRICS_TOKEN, no METRICS_PORT', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers 404 on /metrics (not exposed on the public port) and has no metrics listener', async () => {
    const res = await fetch(`${server.base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('cxtbot_');
    expect(server.app.metricsPort).toBeUndefined();
  });

  it('is ready with memory storage', async () => {
    expect(await request(`${server.base}/readyz`)).toMatchObject({ status: 200, body: { status: 'ready' } });
  });
});

describe('METRICS_PORT without a token', () => {
  it('serves the metrics on the separate (loopback) listener and still hides them on the public port', async () => {
    const server = await startTestServer({ METRICS_PORT: '0' });
    try {
      const res = await fetch(`http://127.0.0.1:${server.app.metricsPort}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('# TYPE cxtbot_turns_total counter');
      expect((await fetch(`${server.base}/metrics`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
