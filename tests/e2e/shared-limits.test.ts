import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { request } from '../channels/helpers/test-server.js';
import { pgTestSchema } from '../storage/pg-test-schema.js';

/**
 * Three instances of the real app on one PostgreSQL schema, as behind a load balancer without sticky sessions:
 * each with its own DATA_DIR and no DIRECTLINE_SECRET, so only the database can make them agree.
 */
const pg = pgTestSchema();
const instances: Array<{ app: App; base: string; dataDir: string }> = [];

beforeAll(async () => {
  // One after the other: the first creates the schema, the administrator and the channel secret.
  for (let i = 0; i < 3; i += 1) {
    const dataDir = mkdtempSync(join(tmpdir(), `shared-limits-${i}-`));
    const config = parseConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      DATA_DIR: dataDir,
      STORAGE: 'postgres',
      DATABASE_URL: inject('databaseUrl'),
      DATABASE_SCHEMA: pg.schema,
      DIRECTLINE_SECRET: '',
      TOKEN_RATE_LIMIT_PER_MINUTE: '5',
      TRUSTED_PROXY_HOPS: '1',
      CONSOLE_ADMIN_USER: 'admin',
      CONSOLE_ADMIN_PASSWORD: 'admin-password-1',
    });
    const app = await buildApp(config);
    instances.push({ app, base: `http://127.0.0.1:${await app.listen()}`, dataDir });
  }
}, 120_000);

afterAll(async () => {
  for (const { app, dataDir } of instances) {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  await pg.drop();
});

const at = (i: number) => instances[i % instances.length]!.base;

describe('limits and secret shared by instances on one PostgreSQL', () => {
  it('the widget token limit holds across instances: 5 per minute per client in all, not 5 on each', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 9; i += 1) {
      const res = await request(`${at(i)}/api/widget/token`, { body: { locale: 'en' }, headers: { 'x-forwarded-for': '203.0.113.50' } });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429, 429]);
    // Another client is not affected.
    expect((await request(`${at(0)}/api/widget/token`, { body: {}, headers: { 'x-forwarded-for': '203.0.113.51' } })).status).toBe(200);
  });

  it('a token minted by one instance is accepted by the others (one generated channel secret)', async () => {
    const minted = await request(`${at(0)}/api/widget/token`, { body: { locale: 'en' }, headers: { 'x-forwarded-for': '203.0.113.60' } });
    expect(minted.status).toBe(200);
    for (const i of [1, 2]) {
      const refreshed = await request(`${at(i)}/v3/directline/tokens/refresh`, { method: 'POST', token: minted.body.token });
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.conversationId).toBe(minted.body.conversationId);
    }
  });

  it('60 parallel sign-ins spread over 3 instances: 5 get their password checked, 55 are told to wait', async () => {
    const attempt = (i: number, password: string) =>
      fetch(`${at(i)}/api/console/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '198.51.100.60' },
        body: JSON.stringify({ username: 'admin', password }),
      });
    const statuses = (await Promise.all(Array.from({ length: 60 }, (_, i) => attempt(i, 'wrong-password')))).map((res) => res.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(55);
    // The right password from that address waits too, on every instance.
    for (const i of [0, 1, 2]) expect((await attempt(i, 'admin-password-1')).status).toBe(429);
    // Another address signs in fine.
    const other = await fetch(`${at(1)}/api/console/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '198.51.100.61' },
      body: JSON.stringify({ username: 'admin', password: 'admin-password-1' }),
    });
    expect(other.status).toBe(200);
  });
});
