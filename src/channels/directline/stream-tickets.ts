import { randomBytes } from 'node:crypto';

/** What a stream ticket lets its holder open. */
export interface StreamTicket {
  readonly conversationId: string;
  /** Replay starts after this watermark. */
  readonly watermark: number;
  readonly expiresAt: number;
}

/**
 * Short-lived, single-use tickets for WebSocket stream URLs: the URL is all a browser can send on upgrade,
 * so it carries a ticket instead of the long-lived token.
 */
export class StreamTickets {
  private readonly tickets = new Map<string, StreamTicket>();
  private lastSweep = 0;

  /**
   * @param ttlMs how long an unused ticket stays valid.
   * @param now clock in milliseconds, replaceable in tests.
   */
  constructor(
    private readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new ticket for the conversation's stream. */
  issue(conversationId: string, watermark: number): string {
    this.sweep();
    const ticket = randomBytes(18).toString('base64url');
    this.tickets.set(ticket, { conversationId, watermark, expiresAt: this.now() + this.ttlMs });
    return ticket;
  }

  /** Consumes the ticket: it is valid once, for its conversation, before it expires; otherwise `undefined`. */
  redeem(ticket: string, conversationId: string): StreamTicket | undefined {
    const found = this.tickets.get(ticket);
    if (!found) return undefined;
    this.tickets.delete(ticket);
    if (found.conversationId !== conversationId || found.expiresAt <= this.now()) return undefined;
    return found;
  }

  /** Number of outstanding tickets (for tests and diagnostics). */
  get size(): number {
    return this.tickets.size;
  }

  // Unused tickets (clients that never opened their stream) are dropped lazily, at most once per TTL.
  private sweep(): void {
    const now = this.now();
    if (now - this.lastSweep < this.ttlMs) return;
    this.lastSweep = now;
    for (const [key, ticket] of this.tickets) if (ticket.expiresAt <= now) this.tickets.delete(key);
  }
}
