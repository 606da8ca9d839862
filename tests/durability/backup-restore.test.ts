import type { Activity } from 'botbuilder';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDataDir } from '../storage/temp-data-dir.js';
import { runCli } from './run-cli.js';
import { ServerProcess } from './server-process.js';

const SECRET = randomBytes(24).toString('base64url');
const CONVERSATIONS = 3;
const MESSAGES_PER_CONVERSATION = 40;
/** Start the backup once this many seller messages were acknowledged, while the burst goes on. */
const BACKUP_AFTER_ACKS = 30;
const WAVE = 8;

interface Conversation {
  readonly id: string;
  readonly token: string;
  /** Acknowledged seller messages: id to text. */
  readonly acked: Map<string, string>;
}

const auth = (credential: string) => ({ authorization: `Bearer ${credential}`, 'content-type': 'application/json' });

async function startConversation(baseUrl: string): Promise<Conversation> {
  const res = await fetch(`${baseUrl}/v3/directline/conversations`, {
    method: 'POST',
    headers: auth(SECRET),
    body: JSON.stringify({ user: { id: `seller-${randomBytes(4).toString('hex')}` }, locale: 'zh-CN' }),
  });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { conversationId: string; token: string };
  return { id: body.conversationId, token: body.token, acked: new Map() };
}

/** POSTs a seller message; the id when the server acknowledged it (200), else undefined. */
async function postMessage(baseUrl: string, conversation: Conversation, text: string): Promise<string | undefined> {
  const res = await fetch(`${baseUrl}/v3/directline/conversations/${encodeURIComponent(conversation.id)}/activities`, {
    method: 'POST',
    headers: auth(conversation.token),
    body: JSON.stringify({ type: 'message', text, from: { id: 'ignored' }, locale: 'zh-CN' }),
  });
  if (res.status !== 200) return undefined;
  return ((await res.json()) as { id?: string }).id;
}

/** The whole Direct Line history, as a reconnecting Web Chat reads it. */
async function readWholeHistory(baseUrl: string, conversation: Conversation): Promise<Partial<Activity>[]> {
  const all: Partial<Activity>[] = [];
  let watermark = '';
  for (;;) {
    const res = await fetch(`${baseUrl}/v3/directline/conversations/${encodeURIComponent(conversation.id)}/activities?watermark=${watermark}`, {
      headers: auth(conversation.token),
    });
    expect(res.status).toBe(200);
    const page = (await res.json()) as { activities: Partial<Activity>[]; watermark: string };
    if (page.activities.length === 0) return all;
    all.push(...page.activities);
    watermark = page.watermark;
  }
}

describe('npm run backup during a burst of seller messages, npm run restore into a fresh DATA_DIR', () => {
  const live = makeTempDataDir('cxt-backup-live-');
  const fresh = makeTempDataDir('cxt-backup-fresh-');
  const store = makeTempDataDir('cxt-backup-files-');
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    for (const server of servers) await server.kill();
    for (const temp of [live, fresh, store]) temp.remove();
  });

  it('the restored server has every message acknowledged before the backup started', { timeout: 420_000 }, async () => {
    const env = (dataDir: string) => ({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', STORAGE: 'sqlite', DIRECTLINE_SECRET: SECRET });
    const backupFile = join(store.dir, 'bot-backup.sqlite');
    const first = await ServerProcess.start(env(live.dir));
    servers.push(first);
    const conversations: Conversation[] = [];
    for (let i = 0; i < CONVERSATIONS; i++) conversations.push(await startConversation(first.baseUrl));

    let acks = 0;
    let backup: ReturnType<typeof runCli> | undefined;
    let backupDone = false;
    let acksAfterBackup = 0;
    /** Copies of each conversation's acknowledged messages, taken the moment the backup was started. */
    let ackedBeforeBackup: Array<Map<string, string>> = [];
    const sends: Promise<void>[] = [];
    // The burst goes on until the backup has finished, so that the copy is taken while messages keep arriving.
    // ... and two more waves after it finished, so that some messages are certainly acknowledged after the copy.
    let wavesAfterBackup = 0;
    for (let wave = 0; (wave * WAVE < MESSAGES_PER_CONVERSATION || !backupDone || wavesAfterBackup < 2) && wave < 400; wave++) {
      if (backupDone) wavesAfterBackup += 1;
      for (const [c, conversation] of conversations.entries()) {
        for (let n = wave * WAVE; n < (wave + 1) * WAVE; n++) {
          const text = `怎么解绑诚信通？ #${c}-${n}`;
          sends.push(
            // A send that fails (a connection reset on the loaded machine) was not acknowledged: it proves nothing.
            postMessage(first.baseUrl, conversation, text).catch(() => undefined).then((id) => {
              if (!id) return;
              conversation.acked.set(id, text);
              acks += 1;
              if (backupDone) acksAfterBackup += 1;
              if (acks >= BACKUP_AFTER_ACKS && !backup) {
                ackedBeforeBackup = conversations.map((each) => new Map(each.acked));
                backup = runCli('backup', [backupFile], env(live.dir));
                void backup.finally(() => (backupDone = true));
              }
            }),
          );
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
    await Promise.all(sends);
    const backedUp = await backup!;
    expect(backedUp.stderr).toBe('');
    expect(backedUp.code).toBe(0);
    expect(backedUp.stdout).toMatch(/bot-backup\.sqlite/);
    const totalAcked = conversations.reduce((sum, c) => sum + c.acked.size, 0);
    const beforeBackup = ackedBeforeBackup.reduce((sum, acked) => sum + acked.size, 0);
    expect(beforeBackup).toBeGreaterThanOrEqual(BACKUP_AFTER_ACKS);
    // The server kept taking messages while the backup ran, and after.
    expect(totalAcked).toBeGreaterThan(beforeBackup);
    expect(acksAfterBackup).toBeGreaterThan(0);
    expect(existsSync(`${backupFile}.partial`)).toBe(false);

    // A backup never overwrites.
    const again = await runCli('backup', [backupFile], { ...env(live.dir), DEFAULT_LOCALE: 'en' });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists/);
    await first.stop();

    const restored = await runCli('restore', [backupFile], { ...env(fresh.dir), DEFAULT_LOCALE: 'en' });
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(readdirSync(fresh.dir)).toEqual(['bot.sqlite']);

    const second = await ServerProcess.start(env(fresh.dir));
    servers.push(second);
    for (const [c, conversation] of conversations.entries()) {
      const history = new Map((await readWholeHistory(second.baseUrl, conversation)).map((a) => [a.id, a.text]));
      for (const [id, text] of ackedBeforeBackup[c]!) expect(history.get(id), `acknowledged before the backup: ${id}`).toBe(text);
    }
    // The restored conversation goes on.
    expect(await postMessage(second.baseUrl, conversations[0]!, '怎么解绑诚信通？ #after-restore')).toBeTruthy();

    // Restoring next to a live server is refused, and changes nothing.
    const refused = await runCli('restore', [backupFile], { ...env(fresh.dir), DEFAULT_LOCALE: 'en' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/A server is using .*bot\.sqlite\. Stop it first/);
    expect(readdirSync(fresh.dir).filter((name) => name.includes('before-restore'))).toEqual([]);
    await second.stop();

    // Once stopped, a restore proceeds and keeps the replaced database aside.
    const replaced = await runCli('restore', [backupFile], { ...env(fresh.dir), DEFAULT_LOCALE: 'en' });
    expect(replaced.code).toBe(0);
    expect(replaced.stdout).toMatch(/moved to .*bot\.sqlite\.before-restore-/);
  });
});
