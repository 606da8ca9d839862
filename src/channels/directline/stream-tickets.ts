import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** What a stream ticket lets its holder open. */
export interface StreamTicket {
  readonly conversationId: string;
  /** Replay starts after this watermark. */
  readonly watermark: number;
  readonly expiresAt: number;
}

const VERSION = 'st1';
/** Longer strings are not tickets of ours; refused before any parsing. */
const MAX_TICKET_LENGTH = 1024;
const payloadSchema = z.object({
  c: z.string().min(1).max(256),
  w: z.number().int(),
  e: z.number().int(),
  n: z.string().min(1).max(64),
});

/**
 * Short-lived tickets for WebSocket stream URLs: the URL is all a browser can send on upgrade, so it carries a
 * ticket instead of the long-lived token.
 *
 * A ticket is self-contained: conversation id, watermark, expiry and a random nonce, HMAC-signed with a key
 * derived from the channel secret. So any instance holding the same secret accepts a ticket that another issued
 * (no sticky sessions needed). Single use is enforced per instance: each instance remembers the nonces it
 * redeemed until they expire. LIMIT: within its TTL (60 s) a ticket could still be redeemed once on each OTHER
 * instance; it is issued only to the conversation's token holder, who could ask for new tickets anyway.
 */
export class StreamTickets {
  private readonly key: Buffer;
  private readonly ttlMs: number;
  private readonly now: () => number;
  /** Nonce → expiry of the tickets redeemed here. */
  private readonly used = new Map<string, number>();
  private lastSweep = 0;

  /**
   * @param secret the channel secret (DIRECTLINE_SECRET or the generated one), the same on every instance.
   * @param ttlMs how long an unused ticket stays valid.
   * @param now clock in milliseconds, replaceable in tests.
   */
  constructor(secret: string, ttlMs = 60_000, now: () => number = Date.now) {
    if (secret.length < 16) throw new Error('StreamTickets(): the secret must have at least 16 characters');
    this.ttlMs = ttlMs;
    this.now = now;
    // A key of its own: a ticket can never pass for a token signed with the same secret, nor the reverse.
    this.key = createHmac('sha256', secret).update('directline-stream-ticket-v1').digest();
  }

  /** A new ticket for the conversation's stream. */
  issue(conversationId: string, watermark: number): string {
    const payload = { c: conversationId, w: watermark, e: this.now() + this.ttlMs, n: randomBytes(12).toString('base64url') };
    const body = `${VERSION}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    return `${body}.${this.sign(body)}`;
  }

  /**
   * Consumes the ticket: valid once (on this instance), for its conversation, before it expires, when its
   * signature holds; otherwise `undefined`.
   */
  redeem(ticket: string, conversationId: string): StreamTicket | undefined {
    const found = this.verify(ticket);
    if (!found || found.ticket.conversationId !== conversationId) return undefined;
    const now = this.now();
    if (found.ticket.expiresAt <= now) return undefined;
    this.sweep(now);
    if (this.used.has(found.nonce)) return undefined;
    this.used.set(found.nonce, found.ticket.expiresAt);
    return found.ticket;
  }

  /** Number of redeemed tickets still remembered (for tests and diagnostics). */
  get size(): number {
    return this.used.size;
  }

  private verify(ticket: string): { ticket: StreamTicket; nonce: string } | undefined {
    if (ticket.length > MAX_TICKET_LENGTH) return undefined;
    const parts = ticket.split('.');
    if (parts.length !== 3 || parts[0] !== VERSION) return undefined;
    const body = `${parts[0]}.${parts[1]}`;
    const given = Buffer.from(parts[2]!, 'base64url');
    const expected = Buffer.from(this.sign(body), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    const parsed = payloadSchema.safeParse(json);
    if (!parsed.success) return undefined;
    const { c, w, e, n } = parsed.data;
    return { ticket: { conversationId: c, watermark: w, expiresAt: e }, nonce: n };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }

  // Remembered nonces are dropped once their tickets expired (a replay would fail on expiry), at most once per TTL.
  private sweep(now: number): void {
    if (now - this.lastSweep < this.ttlMs) return;
    this.lastSweep = now;
    for (const [nonce, expiresAt] of this.used) if (expiresAt <= now) this.used.delete(nonce);
  }
}
