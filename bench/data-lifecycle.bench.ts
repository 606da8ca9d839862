/**
 * Cost of the data-lifecycle operations on a database of realistic size (`npm run bench:data [conversations]`).
 *
 * Seeds N conversations (each: Direct Line conversation with 6 history activities, 6 transcript lines, a console
 * record, 3 recognitions, bot state; every tenth a callback and a rating), half of them 200 days old, into a temp
 * DATA_DIR, then times: a backup (`backupDatabase`, what `npm run backup` does), the retention purge of the old
 * half (`purgeOlderThan`: one transaction, during which the server's event loop is busy), and one seller's export
 * and erasure by conversation id and by user id (the user id scans the transcript).
 * With STORAGE=postgres and DATABASE_URL: the same on PostgreSQL, in a schema of its own dropped afterwards (no backup).
 */
import type { Activity } from 'botbuilder';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createLogger } from '../src/logger.js';
import pg from 'pg';
import { createSqliteStores } from '../src/storage/create-sqlite-stores.js';
import { createPgStores } from '../src/storage/postgres/create-pg-stores.js';
import { backupDatabase } from '../src/storage/sqlite-backup.js';
import type { Stores } from '../src/storage/stores.js';

const CONVERSATIONS = Number(process.argv[2] ?? 10_000);
const BATCH = 250;
const DAY_MS = 86_400_000;
const now = Date.now();

async function seedOne(stores: Stores, n: number): Promise<void> {
  const id = `bench-${n}`;
  const user = `user-${n}`;
  const start = now - (n % 2 === 0 ? 200 : 1) * DAY_MS;
  const iso = new Date(start).toISOString();
  await stores.conversations.createConversation({ id, userId: user, locale: 'zh-CN', createdAt: iso });
  const writes: Promise<void>[] = [];
  for (let i = 0; i < 6; i++) {
    const user_ = i % 2 === 0;
    const activity = {
      type: 'message',
      id: `${id}|${i}`,
      text: user_ ? `怎么解绑诚信通和速卖通？我的手机13812345678 #${n}` : '诚信通和速卖通没有系统绑定，不存在一键解绑。请按下面三种情况之一办理。',
      timestamp: new Date(start + i * 1000),
      channelId: 'directline',
      conversation: { id },
      from: user_ ? { id: user, role: 'user' } : { id: 'bot', role: 'bot' },
    } as Activity;
    writes.push(stores.conversations.append(id, [activity], start + i * 1000, user_).then(() => undefined));
    writes.push(Promise.resolve(stores.transcripts.logActivity(activity)));
  }
  writes.push(
    stores.handoff.conversations
      .touch(
        { conversationId: id, channelId: 'directline', locale: 'zh-CN', handoffState: 'bot', assignedAgent: null, createdAt: iso, lastActivityAt: iso, waitingSince: null, handoffRequestedAt: null, caseSummary: null, lastSellerText: '怎么解绑', reference: null },
        () => ({}),
      )
      .then(() => undefined),
  );
  for (let i = 0; i < 3; i++) {
    writes.push(stores.handoff.recognitions.append({ conversationId: id, activityId: `${id}|${i * 2}`, text: '怎么解绑', intent: 'faq.unbind', score: 0.9, ambiguous: false, at: iso }));
  }
  if (n % 10 === 0) {
    writes.push(stores.handoff.callbacks.add({ id: `cb-${id}`, conversationId: id, name: '王', phone: '13812345678', locale: 'zh-CN', createdAt: iso, status: 'open', handledBy: null }));
    writes.push(stores.handoff.ratings.add({ id: `r-${id}`, conversationId: id, score: 5, agent: null, createdAt: iso }));
  }
  writes.push(stores.storage.write({ [`directline/conversations/${id}/ConversationState`]: { dialogStack: [], n } }));
  await Promise.all(writes);
}

async function timed<T>(label: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await run();
  console.log(`${label.padEnd(46)} ${(performance.now() - started).toFixed(1).padStart(9)} ms`);
  return result;
}

async function main(): Promise<void> {
  if (process.env.STORAGE === 'postgres') {
    if (!process.env.DATABASE_URL) throw new Error('STORAGE=postgres needs DATABASE_URL');
    return benchPostgres(process.env.DATABASE_URL);
  }
  const dir = mkdtempSync(join(tmpdir(), 'cxt-bench-data-'));
  try {
    const stores = createSqliteStores(dir, createLogger('silent'));
    await seedAll(stores);
    const report = await timed('backup (npm run backup)', () => backupDatabase(dir, join(dir, 'backup.sqlite')));
    console.log(`  backup file: ${(report.bytes / 1e6).toFixed(1)} MB, ${report.pages} pages`);
    await timeSellerData(stores);
    stores.close();
    console.log(`database after purge: ${(statSync(join(dir, 'bot.sqlite')).size / 1e6).toFixed(1)} MB (pages are reused, not returned)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchPostgres(connectionString: string): Promise<void> {
  const schema = `bench_data_${process.pid}`;
  try {
    const stores = await createPgStores({ connectionString, schema }, createLogger('silent'));
    await seedAll(stores);
    await timeSellerData(stores);
    await stores.close();
  } finally {
    const client = new pg.Client({ connectionString });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
}

async function seedAll(stores: Stores): Promise<void> {
  await timed(`seed ${CONVERSATIONS} conversations`, async () => {
    for (let n = 0; n < CONVERSATIONS; n += BATCH) {
      const batch: Promise<void>[] = [];
      for (let i = n; i < Math.min(CONVERSATIONS, n + BATCH); i++) batch.push(seedOne(stores, i));
      await Promise.all(batch);
    }
  });
}

async function timeSellerData(stores: Stores): Promise<void> {
  await timed('export one seller by conversation id', () => stores.sellerData.export({ conversationId: 'bench-1' }));
  await timed('export one seller by user id', () => stores.sellerData.export({ userId: 'user-3' }));
  await timed('erase one seller by conversation id', () => stores.sellerData.erase({ conversationId: 'bench-1' }));
  await timed('erase one seller by user id', () => stores.sellerData.erase({ userId: 'user-3' }));
  const counts = await timed(`retention purge of the old half`, () => stores.sellerData.purgeOlderThan(new Date(now - 180 * DAY_MS)));
  console.log(`  purged: ${JSON.stringify(counts)}`);
  await timed('retention purge again (nothing to do)', () => stores.sellerData.purgeOlderThan(new Date(now - 180 * DAY_MS)));
}

void main();
