import type {
  ConsoleRepositories,
  ConsoleSession,
  ConsoleSessionRepository,
  StaffUser,
  StaffUserRepository,
} from './ports.js';

/** In-memory {@link StaffUserRepository} (tests, STORAGE=memory). */
export class InMemoryStaffUserRepository implements StaffUserRepository {
  private readonly users = new Map<string, StaffUser>();

  async get(username: string): Promise<StaffUser | undefined> {
    return this.users.get(username);
  }

  async list(): Promise<StaffUser[]> {
    return [...this.users.values()].sort((a, b) => a.username.localeCompare(b.username));
  }

  async count(): Promise<number> {
    return this.users.size;
  }

  async create(user: StaffUser): Promise<boolean> {
    if (this.users.has(user.username)) return false;
    this.users.set(user.username, user);
    return true;
  }

  async setPassword(username: string, passwordHash: string): Promise<boolean> {
    const existing = this.users.get(username);
    if (!existing) return false;
    this.users.set(username, { ...existing, passwordHash });
    return true;
  }
}

/** In-memory {@link ConsoleSessionRepository}. */
export class InMemoryConsoleSessionRepository implements ConsoleSessionRepository {
  private readonly sessions = new Map<string, ConsoleSession>();

  async create(session: ConsoleSession): Promise<void> {
    this.sessions.set(session.id, session);
  }

  async get(id: string): Promise<ConsoleSession | undefined> {
    return this.sessions.get(id);
  }

  async delete(id: string): Promise<void> {
    this.sessions.delete(id);
  }

  async deleteExpired(nowIso: string): Promise<number> {
    let removed = 0;
    for (const [id, session] of this.sessions) {
      if (session.expiresAt < nowIso) {
        this.sessions.delete(id);
        removed += 1;
      }
    }
    return removed;
  }
}

/** A fresh set of in-memory console repositories. */
export function createInMemoryConsoleRepositories(): ConsoleRepositories {
  return { staff: new InMemoryStaffUserRepository(), sessions: new InMemoryConsoleSessionRepository() };
}
