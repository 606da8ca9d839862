import { describe, expect, it } from 'vitest';
import { ConsoleAuth } from '../../src/console/console-auth.js';
import { createInMemoryConsoleRepositories } from '../../src/console/in-memory.repositories.js';
import { LoginRateLimiter } from '../../src/console/login-rate-limiter.js';
import { hashPassword, verifyPassword } from '../../src/console/password-hasher.js';
import { bootstrapAdmin, createStaffUser, StaffAccountError } from '../../src/console/staff-accounts.js';

describe('password hasher (scrypt)', () => {
  it('verifies the right password only, with a fresh salt each time', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('correct horsE', a)).toBe(false);
  });

  it('treats malformed or hostile hashes as a mismatch, never a throw', async () => {
    for (const stored of ['', 'plain', 'scrypt$1$1$1$$', 'scrypt$99999999$8$1$c2FsdA==$a2V5', 'bcrypt$x$y$z$a$b']) {
      expect(await verifyPassword('x', stored)).toBe(false);
    }
  });
});

describe('LoginRateLimiter', () => {
  it('blocks an account from an address after 5 failures, for the rest of the window', () => {
    let now = 0;
    const limiter = new LoginRateLimiter({ now: () => now });
    for (let i = 0; i < 5; i += 1) {
      expect(limiter.retryAfterSeconds('1.1.1.1', 'bob')).toBe(0);
      limiter.recordFailure('1.1.1.1', 'bob');
    }
    expect(limiter.retryAfterSeconds('1.1.1.1', 'bob')).toBe(900);
    expect(limiter.retryAfterSeconds('2.2.2.2', 'bob')).toBe(0); // a guesser elsewhere cannot lock bob out
    now = 900_001;
    expect(limiter.retryAfterSeconds('1.1.1.1', 'bob')).toBe(0);
  });

  it('blocks an address trying many usernames', () => {
    const limiter = new LoginRateLimiter({ now: () => 0 });
    for (let i = 0; i < 20; i += 1) limiter.recordFailure('1.1.1.1', `user${i}`);
    expect(limiter.retryAfterSeconds('1.1.1.1', 'fresh')).toBeGreaterThan(0);
  });
});

describe('staff accounts and sessions', () => {
  it('creates the first administrator once, generating a password when none is configured', async () => {
    const repos = createInMemoryConsoleRepositories();
    const first = await bootstrapAdmin(repos.staff, { CONSOLE_ADMIN_USER: 'Admin', CONSOLE_ADMIN_PASSWORD: '' });
    expect(first).toMatchObject({ created: true, username: 'admin', generatedPassword: expect.stringMatching(/^[A-Za-z0-9_-]{24}$/) });
    const user = await repos.staff.get('admin');
    expect(user).toMatchObject({ role: 'admin' });
    expect(user?.passwordHash).not.toContain(first.generatedPassword);
    expect(await verifyPassword(first.generatedPassword!, user!.passwordHash)).toBe(true);
    expect(await bootstrapAdmin(repos.staff, { CONSOLE_ADMIN_USER: 'admin', CONSOLE_ADMIN_PASSWORD: '' })).toEqual({ created: false, username: 'admin' });
  });

  it('creates the first administrator once when several instances start together on one database', async () => {
    const repos = createInMemoryConsoleRepositories();
    const config = { CONSOLE_ADMIN_USER: 'admin', CONSOLE_ADMIN_PASSWORD: 'admin-password-1' };
    const results = await Promise.all([1, 2, 3].map(() => bootstrapAdmin(repos.staff, config)));
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(await repos.staff.count()).toBe(1);
  });

  it('validates usernames and passwords and refuses duplicates', async () => {
    const repos = createInMemoryConsoleRepositories();
    await createStaffUser(repos.staff, { username: 'li.na', password: 'long-enough' });
    await expect(createStaffUser(repos.staff, { username: 'li.na', password: 'long-enough' })).rejects.toMatchObject({ code: 'STAFF_EXISTS' });
    await expect(createStaffUser(repos.staff, { username: 'no spaces', password: 'long-enough' })).rejects.toBeInstanceOf(StaffAccountError);
    await expect(createStaffUser(repos.staff, { username: 'ok', password: 'short' })).rejects.toMatchObject({ code: 'STAFF_INVALID' });
  });

  it('stores only the hash of the session token, and expires sessions', async () => {
    let now = new Date('2026-11-26T00:00:00Z');
    const repos = createInMemoryConsoleRepositories();
    await createStaffUser(repos.staff, { username: 'bob', password: 'bob-password' });
    const auth = new ConsoleAuth({ repositories: repos, sessionHours: 1, now: () => now });
    expect(await auth.login('bob', 'wrong-password')).toBeUndefined();
    expect(await auth.login('nobody', 'bob-password')).toBeUndefined();
    const result = await auth.login('BOB', 'bob-password');
    expect(result).toBeDefined();
    expect(await repos.sessions.get(result!.token)).toBeUndefined();
    expect((await auth.authenticate(result!.token))?.user.username).toBe('bob');
    expect(ConsoleAuth.csrfMatches(result!.principal, result!.principal.session.csrfToken)).toBe(true);
    expect(ConsoleAuth.csrfMatches(result!.principal, 'x')).toBe(false);
    now = new Date('2026-11-26T01:00:01Z');
    expect(await auth.authenticate(result!.token)).toBeUndefined();
  });
});
