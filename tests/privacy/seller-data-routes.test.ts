import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { createStaffUser } from '../../src/console/staff-accounts.js';
import { createLogger } from '../../src/logger.js';
import { signIn, type StaffClient } from '../console/console-harness.js';
import { pgTestSchema } from '../storage/pg-test-schema.js';
import { seedConversation, SELLER_A, SELLER_B } from '../storage/seed-seller-data.js';
import { makeTempDataDir } from '../storage/temp-data-dir.js';

/** The whole product on SQLite in a temp DATA_DIR, with the seeded sellers; admin and agent signed in. */
describe('seller data console routes', () => {
  const temp = makeTempDataDir('cxt-seller-routes-');
  const lines: Array<Record<string, unknown>> = [];
  let app: App;
  let base: string;
  let admin: StaffClient;
  let agent: StaffClient;

  beforeAll(async () => {
    const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    app = await buildApp(
      parseConfig({ DATA_DIR: temp.dir, PORT: '0', HOST: '127.0.0.1', CONSOLE_ADMIN_USER: 'admin', CONSOLE_ADMIN_PASSWORD: 'admin-password-1' }),
      { logger },
    );
    base = `http://127.0.0.1:${await app.listen()}`;
    await createStaffUser(app.stores.console.staff, { username: 'bob', password: 'bob-password-1', displayName: 'Bob' });
    await seedConversation(app.stores, SELLER_A);
    await seedConversation(app.stores, SELLER_B);
    admin = await signIn(base, 'admin', 'admin-password-1');
    agent = await signIn(base, 'bob', 'bob-password-1');
  });
  afterAll(async () => {
    await app.close();
    temp.remove();
  });

  const audits = () => lines.filter((line) => typeof line.audit === 'string');

  it('refuses without a session (401), for an agent (403), without the CSRF token (403), from another site (403)', async () => {
    for (const path of ['/api/console/seller-data/export', '/api/console/seller-data/delete']) {
      const anonymous = await fetch(`${base}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ conversationId: SELLER_A.id }) });
      expect(anonymous.status).toBe(401);
      expect(await (await agent.post(path, { conversationId: SELLER_A.id })).json()).toMatchObject({ code: 'ADMIN_ONLY' });
      expect((await admin.post(path, { conversationId: SELLER_A.id }, { 'X-CSRF-Token': 'wrong' })).status).toBe(403);
      expect((await admin.post(path, { conversationId: SELLER_A.id }, { Origin: 'https://evil.example' })).status).toBe(403);
    }
    expect(audits()).toEqual([]);
    expect(await app.stores.conversations.getConversation(SELLER_A.id)).toBeDefined();
  });

  it('answers 400 for a malformed selection and 404 for an unknown seller', async () => {
    for (const body of [{}, { conversationId: SELLER_A.id, userId: SELLER_A.user }, { conversationId: '' }, { conversationId: 7 }, { id: 'x' }]) {
      const res = await admin.post('/api/console/seller-data/export', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await res.json()).toMatchObject({ code: 'BAD_REQUEST' });
    }
    const unknown = await admin.post('/api/console/seller-data/delete', { userId: 'nobody' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'SELLER_DATA_NOT_FOUND' });
  });

  it('exports one seller as JSON for an admin, audited without the data', async () => {
    const res = await admin.post('/api/console/seller-data/export', { userId: SELLER_A.user });
    expect(res.status).toBe(200);
    const data = (await res.json()) as { conversations: Array<{ conversationId: string; callbacks: Array<{ phone: string }>; transcript: Array<{ text: string }> }> };
    expect(data.conversations.map((c) => c.conversationId)).toEqual([SELLER_A.id]);
    expect(data.conversations[0]?.callbacks[0]?.phone).toBe(SELLER_A.phone);
    expect(data.conversations[0]?.transcript[0]?.text).toBe(SELLER_A.text);
    expect(JSON.stringify(data)).not.toContain(SELLER_B.phone);
    const audit = audits().at(-1);
    expect(audit).toMatchObject({ audit: 'seller_data.export', actor: 'console:admin', selector: 'user', userId: SELLER_A.user, conversations: 1 });
    expect(JSON.stringify(audits())).not.toMatch(/13812345678|要注销/);
  });

  it('deletes one conversation for an admin: gone everywhere, the other seller untouched, audited with counts', async () => {
    const res = await admin.post('/api/console/seller-data/delete', { conversationId: SELLER_A.id });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      deleted: { conversations: 1, transcriptLines: 2, historyActivities: 2, recognitions: 1, callbacks: 1, ratings: 1, handoffRecords: 1, stateItems: 1 },
    });
    expect(await app.stores.conversations.getConversation(SELLER_A.id)).toBeUndefined();
    expect((await admin.get(`/api/console/conversations/${SELLER_A.id}`)).status).toBe(404);
    const callbacks = (await (await admin.get('/api/console/callbacks')).json()) as { callbacks: Array<{ conversationId: string }> };
    expect(callbacks.callbacks.map((c) => c.conversationId)).toEqual([SELLER_B.id]);
    expect((await admin.get(`/api/console/conversations/${SELLER_B.id}`)).status).toBe(200);
    expect(audits().at(-1)).toMatchObject({ audit: 'seller_data.erase', actor: 'console:admin', conversationId: SELLER_A.id, transcriptLines: 2, callbacks: 1 });
    expect((await admin.post('/api/console/seller-data/export', { conversationId: SELLER_A.id })).status).toBe(404);
  });
});

/** The same routes on STORAGE=postgres (they answered 501 before PgSellerData). */
describe('seller data console routes (STORAGE=postgres)', () => {
  const temp = makeTempDataDir('cxt-seller-routes-pg-');
  const pg = pgTestSchema();
  let app: App;
  let admin: StaffClient;

  beforeAll(async () => {
    app = await buildApp(
      parseConfig({
        DATA_DIR: temp.dir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', STORAGE: 'postgres', DATABASE_URL: pg.connectionString,
        DATABASE_SCHEMA: pg.schema, CONSOLE_ADMIN_USER: 'admin', CONSOLE_ADMIN_PASSWORD: 'admin-password-1',
      }),
    );
    const base = `http://127.0.0.1:${await app.listen()}`;
    await seedConversation(app.stores, SELLER_A);
    await seedConversation(app.stores, SELLER_B);
    admin = await signIn(base, 'admin', 'admin-password-1');
  });
  afterAll(async () => {
    await app.close();
    await pg.drop();
    temp.remove();
  });

  it('exports one seller, then deletes them everywhere; the other seller stays', async () => {
    const exported = await admin.post('/api/console/seller-data/export', { conversationId: SELLER_A.id });
    expect(exported.status).toBe(200);
    const data = (await exported.json()) as { conversations: Array<{ transcript: Array<{ text: string }>; callbacks: Array<{ phone: string }> }> };
    expect(data.conversations[0]?.transcript.map((a) => a.text)).toEqual([SELLER_A.text, '诚信通和速卖通没有系统绑定']);
    expect(data.conversations[0]?.callbacks[0]?.phone).toBe(SELLER_A.phone);

    const deleted = await admin.post('/api/console/seller-data/delete', { userId: SELLER_A.user });
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toEqual({
      deleted: { conversations: 1, transcriptLines: 2, historyActivities: 2, recognitions: 1, callbacks: 1, ratings: 1, handoffRecords: 1, stateItems: 2 },
    });
    expect((await admin.get(`/api/console/conversations/${SELLER_A.id}`)).status).toBe(404);
    expect((await admin.get(`/api/console/conversations/${SELLER_B.id}`)).status).toBe(200);
    expect((await admin.post('/api/console/seller-data/export', { userId: SELLER_A.user })).status).toBe(404);
  });
});
