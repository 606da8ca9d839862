import { describe, expect, it } from 'vitest';
import { StreamTickets } from '../../src/channels/directline/stream-tickets.js';

const SECRET = 'stream-ticket-test-secret-0123456789';

describe('stream tickets', () => {
  it('a ticket issued by one instance opens the stream on another with the same secret, once there', () => {
    let now = 1_000;
    const a = new StreamTickets(SECRET, 60_000, () => now);
    const b = new StreamTickets(SECRET, 60_000, () => now);
    const ticket = a.issue('conv-1', 7);
    now += 59_999;
    expect(b.redeem(ticket, 'conv-1')).toEqual({ conversationId: 'conv-1', watermark: 7, expiresAt: 61_000 });
    expect(b.redeem(ticket, 'conv-1')).toBeUndefined(); // single use on that instance
    expect(b.size).toBe(1);
  });

  it('refuses another conversation, an expired ticket, another secret and any change to the ticket', () => {
    let now = 0;
    const tickets = new StreamTickets(SECRET, 60_000, () => now);
    const other = new StreamTickets(`${SECRET}-rotated`, 60_000, () => now);
    const ticket = tickets.issue('conv-1', 3);
    expect(tickets.redeem(ticket, 'conv-2')).toBeUndefined();
    expect(other.redeem(ticket, 'conv-1')).toBeUndefined();
    const [version, payload, mac] = ticket.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), w: 0 })).toString('base64url');
    expect(tickets.redeem(`${version}.${forged}.${mac}`, 'conv-1')).toBeUndefined();
    for (const junk of ['', 'x', 'st1..', `${ticket}x`, 'a'.repeat(5000)]) expect(tickets.redeem(junk, 'conv-1')).toBeUndefined();
    now = 60_000;
    expect(tickets.redeem(ticket, 'conv-1')).toBeUndefined();
  });

  it('forgets redeemed tickets once they expired, so memory stays bounded', () => {
    let now = 0;
    const tickets = new StreamTickets(SECRET, 60_000, () => now);
    for (let i = 0; i < 100; i += 1) expect(tickets.redeem(tickets.issue(`conv-${i}`, 0), `conv-${i}`)).toBeDefined();
    expect(tickets.size).toBe(100);
    now = 120_000;
    expect(tickets.redeem(tickets.issue('conv-x', 0), 'conv-x')).toBeDefined();
    expect(tickets.size).toBe(1);
  });

  it('refuses a secret too short to sign with', () => {
    expect(() => new StreamTickets('short')).toThrow(/16 characters/);
  });
});
