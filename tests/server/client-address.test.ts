import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress } from '../../src/server/client-address.js';

const request = (forwardedFor?: string | string[]): IncomingMessage =>
  ({ socket: { remoteAddress: '10.0.0.2' }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } }) as never;

describe('clientAddress', () => {
  it('uses the socket address and ignores X-Forwarded-For when no proxy is trusted', () => {
    expect(clientAddress(request('203.0.113.7'), 0)).toBe('10.0.0.2');
  });

  it('behind one proxy, takes the address that proxy appended, not what the client wrote before it', () => {
    expect(clientAddress(request('203.0.113.7'), 1)).toBe('203.0.113.7');
    expect(clientAddress(request('198.51.100.1, 203.0.113.7'), 1)).toBe('203.0.113.7');
  });

  it('behind two proxies, takes the second entry from the right', () => {
    expect(clientAddress(request('1.1.1.1, 203.0.113.7, 10.0.0.9'), 2)).toBe('203.0.113.7');
    expect(clientAddress(request(['1.1.1.1', '203.0.113.7, 10.0.0.9']), 2)).toBe('203.0.113.7');
  });

  it('falls back sensibly on a missing or short header', () => {
    expect(clientAddress(request(), 1)).toBe('10.0.0.2');
    expect(clientAddress(request(' , '), 1)).toBe('10.0.0.2');
    expect(clientAddress(request('203.0.113.7'), 3)).toBe('203.0.113.7');
  });
});
