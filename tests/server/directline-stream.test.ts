import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type restify from 'restify';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createServer } from '../../src/server/create-server.js';
import { attachDirectLineStreams } from '../../src/server/directline-stream.js';
import { OriginPolicy } from '../../src/server/directline-origin-policy.js';
import { DirectLineChannel } from '../../src/channels/directline/directline-channel.js';
import { MemoryConversationStore } from '../../src/channels/directline/memory-conversation-store.js';
import { SyncStoreAdapter } from '../../src/channels/directline/sync-store-adapter.js';
import { createProbeEchoBot } from '../../src/channels/directline/probe-echo-bot.js';

/**
 * Long enough that an answering client's pong (same process, loopback) is read before the next heartbeat even on
 * a loaded machine (at 100 ms a descheduled test process saw its own answering socket closed); the test counts
 * heartbeats rather than sleeping for a multiple of this.
 */
const HEARTBEAT_MS = 500;
/** Waits are bounded generously: on a loaded machine timers fire late, and only a hang should fail the test. */
const PATIENCE_MS = 30_000;
const dataDir = mkdtempSync(join(tmpdir(), 'dl-stream-'));
const config = parseConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', STORAGE: 'memory', DATA_DIR: dataDir });
const logger = createLogger('silent');
const channel = new DirectLineChannel({
  bot: createProbeEchoBot(),
  middleware: [],
  onTurnError: async () => undefined,
  store: new SyncStoreAdapter(new MemoryConversationStore()),
  config,
  logger,
  secret: 'stream-test-secret-0123456789',
});
let server: restify.Server;
let streams: { close(): Promise<void> };
let streamBase: string;

beforeAll(async () => {
  server = createServer(logger);
  streams = attachDirectLineStreams(server, channel, new OriginPolicy([]), '/v3/directline/conversations/', logger, {
    heartbeatMs: HEARTBEAT_MS,
  });
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
  streamBase = `ws://127.0.0.1:${port}/v3/directline`;
});
afterAll(async () => {
  await streams.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await channel.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Opens the stream of a new conversation; resolves once the welcome frame arrived. */
async function openStream(autoPong: boolean): Promise<WebSocket> {
  const { streamUrl } = await channel.startConversation({ kind: 'secret' }, {}, streamBase);
  const ws = new WebSocket(streamUrl!, { autoPong });
  await new Promise<void>((resolve, reject) => {
    ws.on('message', (data) => {
      if (String(data)) resolve();
    });
    ws.once('error', reject);
  });
  return ws;
}

const closed = (ws: WebSocket): Promise<void> =>
  new Promise((resolve) => (ws.readyState === WebSocket.CLOSED ? resolve() : ws.once('close', () => resolve())));

async function until(condition: () => boolean, what: string, timeoutMs = PATIENCE_MS): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('Direct Line streams', () => {
  it('closes a socket that stops answering pings, keeps one that answers, and detaches each from the channel when it closes', { timeout: 2 * PATIENCE_MS }, async () => {
    const answering = await openStream(true);
    let pings = 0;
    answering.on('ping', () => (pings += 1));
    const silent = await openStream(false);
    expect(channel.openStreams).toBe(2);

    await closed(silent);
    await until(() => channel.openStreams === 1, 'the silent stream to be detached');
    // Several heartbeats later (counted, not timed) the answering socket is still open and still attached.
    const seen = pings;
    await until(() => pings >= seen + 3 || answering.readyState !== WebSocket.OPEN, 'three more heartbeats');
    expect(answering.readyState).toBe(WebSocket.OPEN);
    expect(channel.openStreams).toBe(1);

    answering.close();
    await closed(answering);
    await until(() => channel.openStreams === 0, 'the closed stream to be detached');
  });

  it('close() ends every open stream', async () => {
    const first = await openStream(true);
    const second = await openStream(true);
    await streams.close();
    await Promise.all([closed(first), closed(second)]);
    await until(() => channel.openStreams === 0, 'the streams to be detached');
  });
});
