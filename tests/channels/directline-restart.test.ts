import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DirectLine, RecordingClient } from './helpers/directline-client.js';
import { ONE_CLICK_QUESTION, oneClickUnbindAnswer, welcomeText } from './helpers/expected-text.js';
import { request, startTestServer } from './helpers/test-server.js';

const dataDir = mkdtempSync(join(tmpdir(), 'dl-restart-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('Direct Line on the SQLite store (the product default)', () => {
  it('resumes a conversation with its whole history after a server restart', { timeout: 60_000 }, async () => {
    // No DIRECTLINE_SECRET: the generated one in DATA_DIR keeps the page token valid across the restart.
    const env = { STORAGE: 'sqlite', DIRECTLINE_SECRET: '' };
    const first = await startTestServer(env, dataDir);
    const page = await request(`${first.base}/api/widget/token`, { body: { locale: 'zh-CN' } });
    const { token, conversationId } = page.body as { token: string; conversationId: string };
    const before = new RecordingClient(new DirectLine({ domain: first.domain, token, conversationId }));
    await before.waitFor((a) => a.text === welcomeText(), 'welcome');
    const asked = await before.say(ONE_CLICK_QUESTION, 'before-restart');
    await before.waitFor((a) => a.replyToId === asked, 'answer');
    before.end();
    await first.close();

    const second = await startTestServer(env, dataDir);
    try {
      const after = new RecordingClient(new DirectLine({ domain: second.domain, token, conversationId }));
      const echo = await after.waitFor((a) => a.channelData?.clientActivityID === 'before-restart', 'replayed question');
      expect(echo.from.role).toBe('user');
      const answer = await after.waitFor((a) => a.replyToId === asked, 'replayed answer');
      expect(answer.text?.startsWith(oneClickUnbindAnswer())).toBe(true);
      expect(after.activities[0]?.text).toBe(welcomeText());

      const again = await after.say(ONE_CLICK_QUESTION, 'after-restart');
      const reply = await after.waitFor((a) => a.replyToId === again, 'answer after the restart');
      expect(Date.parse(String(reply.timestamp))).toBeGreaterThan(Date.parse(String(answer.timestamp)));
      const ids = after.activities.filter((a) => a.type === 'message').map((a) => a.id);
      expect(new Set(ids).size).toBe(ids.length);
      after.end();
    } finally {
      await second.close();
    }
  });
});
