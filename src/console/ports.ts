import type { TranscriptEntry } from '../handoff/live-events.js';

/*
 * Repository ports of the staff console. Implementations: in-memory (./in-memory.repositories.ts) and SQLite
 * (src/storage/). Promise-returning, timestamps as ISO-8601 UTC strings, like src/handoff/ports.ts.
 */

export type StaffRole = 'admin' | 'agent';

/** A staff member who may sign in to the console. */
export interface StaffUser {
  /** Unique, lower-case `[a-z0-9._-]{1,64}`. */
  readonly username: string;
  /** Shown to sellers as the consultant's name. */
  readonly displayName: string;
  /** `scrypt$N$r$p$<salt b64>$<hash b64>` (see password-hasher.ts). */
  readonly passwordHash: string;
  readonly role: StaffRole;
  readonly createdAt: string;
}

export interface StaffUserRepository {
  get(username: string): Promise<StaffUser | undefined>;
  list(): Promise<StaffUser[]>;
  count(): Promise<number>;
  /** Returns false (and changes nothing) when the username exists. */
  create(user: StaffUser): Promise<boolean>;
  /** Returns false when the username is unknown. */
  setPassword(username: string, passwordHash: string): Promise<boolean>;
}

/** A signed-in console session. Only the SHA-256 of the cookie token is stored, so a leaked table opens nothing. */
export interface ConsoleSession {
  /** Hex SHA-256 of the session token held in the cookie. */
  readonly id: string;
  readonly username: string;
  /** Anti-CSRF token the page must echo in the `X-CSRF-Token` header on state-changing requests. */
  readonly csrfToken: string;
  readonly createdAt: string;
  readonly expiresAt: string;
}

export interface ConsoleSessionRepository {
  create(session: ConsoleSession): Promise<void>;
  get(id: string): Promise<ConsoleSession | undefined>;
  delete(id: string): Promise<void>;
  /** Removes sessions that expired before `nowIso`; returns how many. */
  deleteExpired(nowIso: string): Promise<number>;
}

export interface ConsoleRepositories {
  readonly staff: StaffUserRepository;
  readonly sessions: ConsoleSessionRepository;
}

/** Reads a conversation's transcript as console lines (implemented over the transcript store in src/bot/). */
export interface TranscriptReader {
  read(channelId: string, conversationId: string): Promise<TranscriptEntry[]>;
}
