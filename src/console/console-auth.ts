import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { normalizeUsername } from './login-rate-limiter.js';
import { hashPassword, verifyPassword } from './password-hasher.js';
import type { ConsoleRepositories, ConsoleSession, StaffUser } from './ports.js';

/** Name of the HttpOnly session cookie. */
export const SESSION_COOKIE = 'cxt_console';
/** Header that state-changing console requests must carry with the session's CSRF token. */
export const CSRF_HEADER = 'x-csrf-token';

/** Options of {@link ConsoleAuth}. */
export interface ConsoleAuthOptions {
  readonly repositories: ConsoleRepositories;
  /** CONSOLE_SESSION_HOURS. */
  readonly sessionHours: number;
  readonly now?: () => Date;
}

/** A signed-in staff member. */
export interface StaffPrincipal {
  readonly session: ConsoleSession;
  readonly user: StaffUser;
}

const sha256 = (token: string): string => createHash('sha256').update(token).digest('hex');

/** A dummy hash so that unknown usernames cost as much as wrong passwords (no username probing by timing). */
let dummyHash: Promise<string> | undefined;

/** Staff sign-in and sessions: scrypt passwords, random session tokens of which only the hash is stored. */
export class ConsoleAuth {
  private readonly now: () => Date;

  constructor(private readonly options: ConsoleAuthOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** Checks the credentials; on success opens a session and returns its cookie token (shown once) and principal. */
  async login(username: string, password: string): Promise<{ token: string; principal: StaffPrincipal } | undefined> {
    const user = await this.options.repositories.staff.get(normalizeUsername(username));
    if (!user) {
      dummyHash ??= hashPassword('not a password');
      await verifyPassword(password, await dummyHash);
      return undefined;
    }
    if (!(await verifyPassword(password, user.passwordHash))) return undefined;
    const token = randomBytes(32).toString('base64url');
    const created = this.now();
    const session: ConsoleSession = {
      id: sha256(token),
      username: user.username,
      csrfToken: randomBytes(24).toString('base64url'),
      createdAt: created.toISOString(),
      expiresAt: new Date(created.getTime() + this.options.sessionHours * 3_600_000).toISOString(),
    };
    await this.options.repositories.sessions.deleteExpired(created.toISOString());
    await this.options.repositories.sessions.create(session);
    return { token, principal: { session, user } };
  }

  /** The principal of a cookie token, or undefined when the token is unknown, expired, or its user is gone. */
  async authenticate(token: string | undefined): Promise<StaffPrincipal | undefined> {
    if (!token || token.length > 200) return undefined;
    const session = await this.options.repositories.sessions.get(sha256(token));
    if (!session) return undefined;
    if (session.expiresAt <= this.now().toISOString()) {
      await this.options.repositories.sessions.delete(session.id);
      return undefined;
    }
    const user = await this.options.repositories.staff.get(session.username);
    return user ? { session, user } : undefined;
  }

  async logout(token: string): Promise<void> {
    await this.options.repositories.sessions.delete(sha256(token));
  }

  /** Constant-time check of the CSRF header against the session's token. */
  static csrfMatches(principal: StaffPrincipal, header: string | undefined): boolean {
    if (!header) return false;
    const expected = Buffer.from(principal.session.csrfToken);
    const given = Buffer.from(header);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
