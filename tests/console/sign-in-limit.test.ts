import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleHarness, type ConsoleHarness } from './console-harness.js';

/** The console's sign-in limit over real HTTP: 5 failures per account and address, 20 per address, in 15 minutes. */
describe('console sign-in limit', () => {
  let h: ConsoleHarness;

  beforeAll(async () => {
    // One proxy hop trusted, so each test signs in from its own client address (X-Forwarded-For).
    h = await startConsoleHarness({ TRUSTED_PROXY_HOPS: '1' });
  });

  afterAll(async () => {
    await h?.close();
  });

  const attempt = (from: string, username: string, password: string) =>
    fetch(`${h.base}/api/console/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': from },
      body: JSON.stringify({ username, password }),
    });

  it('counts parallel guesses before their passwords are checked: of 60 at once, 5 are checked', async () => {
    const statuses = await Promise.all(Array.from({ length: 60 }, () => attempt('203.0.113.1', 'admin', 'wrong-password')));
    const count = (status: number) => statuses.filter((response) => response.status === status).length;
    expect(count(401)).toBe(5);
    expect(count(429)).toBe(55);
    // The right password from that address waits too.
    expect((await attempt('203.0.113.1', 'admin', 'admin-password-1')).status).toBe(429);
  });

  it('spelling variants of one account share its allowance', async () => {
    const variants = ['admin', ' admin', 'admin ', 'ADMIN', ' Admin '];
    const statuses: number[] = [];
    for (const username of variants) statuses.push((await attempt('203.0.113.2', username, 'wrong-password')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    expect((await attempt('203.0.113.2', '\tadmin', 'wrong-password')).status).toBe(429);
    expect((await attempt('203.0.113.2', 'Admin', 'admin-password-1')).status).toBe(429);
  });

  it('a successful sign-in still works and does not count against the address', async () => {
    for (let i = 0; i < 4; i += 1) expect((await attempt('203.0.113.3', 'admin', 'wrong-password')).status).toBe(401);
    expect((await attempt('203.0.113.3', ' Admin', 'admin-password-1')).status).toBe(200);
    // The account's failures are cleared by the success: five more wrong guesses are checked again.
    for (let i = 0; i < 5; i += 1) expect((await attempt('203.0.113.3', 'admin', 'wrong-password')).status).toBe(401);
    expect((await attempt('203.0.113.3', 'admin', 'wrong-password')).status).toBe(429);
  });
});
