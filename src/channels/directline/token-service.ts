import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { DirectLineError } from './directline-error.js';

/** What a Direct Line token grants: one conversation, as one user. */
export interface TokenClaims {
  /** Conversation id the token is scoped to. */
  readonly conv: string;
  /** User id; Web Chat reads this claim as the user id, which keeps it stable across reloads. */
  readonly user: string;
  /** Issued at, seconds since the epoch. */
  readonly iat: number;
  /** Expires at, seconds since the epoch. */
  readonly exp: number;
}

/** A freshly signed token and its lifetime. */
export interface IssuedToken {
  readonly token: string;
  readonly expiresIn: number;
}

const ISSUER = 'cxt-bot/directline';
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
const claimsSchema = z.object({
  iss: z.literal(ISSUER),
  conv: z.string().min(1).max(128),
  user: z.string().min(1).max(128),
  iat: z.number().int(),
  exp: z.number().int(),
});

/**
 * Signs and verifies Direct Line tokens: compact HS256 JWTs (so Web Chat can read the `user` claim) whose key is
 * derived from the channel secret, so changing the secret revokes every token.
 */
export class TokenService {
  private readonly key: Buffer;
  /** Tokens already verified (signature and claims); only expiry is re-checked. Bounded, cleared when full. */
  private readonly verified = new Map<string, TokenClaims>();

  /**
   * @param secret the channel secret (DIRECTLINE_SECRET or the generated one).
   * @param ttlSeconds token lifetime; must outlive the clients' 15-minute refresh interval.
   * @param now clock in milliseconds, replaceable in tests.
   */
  constructor(
    secret: string,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    if (secret.length < 16) throw new Error('TokenService(): the secret must have at least 16 characters');
    this.key = createHmac('sha256', secret).update('directline-token-signing-v1').digest();
  }

  /** Mints a token for `user` in conversation `conv`. */
  issue(conv: string, user: string): IssuedToken {
    const iat = Math.floor(this.now() / 1000);
    const payload = Buffer.from(JSON.stringify({ iss: ISSUER, conv, user, iat, exp: iat + this.ttlSeconds })).toString(
      'base64url',
    );
    const unsigned = `${HEADER}.${payload}`;
    return { token: `${unsigned}.${this.sign(unsigned)}`, expiresIn: this.ttlSeconds };
  }

  /**
   * Checks signature and expiry.
   * @param graceSeconds accept a token expired for at most this long (used to resume an old conversation).
   * @throws {DirectLineError} 403 BAD_TOKEN or TOKEN_EXPIRED.
   */
  verify(token: string, graceSeconds = 0): TokenClaims {
    const cached = this.verified.get(token);
    if (cached) return this.checkExpiry(cached, graceSeconds);
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== HEADER) throw badToken();
    const [header, payload, signature] = parts as [string, string, string];
    const expected = Buffer.from(this.sign(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw badToken();
    let raw: unknown;
    try {
      raw = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw badToken();
    }
    const parsed = claimsSchema.safeParse(raw);
    if (!parsed.success) throw badToken();
    // Every request carries the token: caching saves the HMAC, JSON and schema work on all but the first.
    if (this.verified.size >= 10_000) this.verified.clear();
    this.verified.set(token, parsed.data);
    return this.checkExpiry(parsed.data, graceSeconds);
  }

  private checkExpiry(claims: TokenClaims, graceSeconds: number): TokenClaims {
    if (claims.exp + graceSeconds <= Math.floor(this.now() / 1000)) {
      throw new DirectLineError(403, 'TOKEN_EXPIRED', 'the token has expired; get a new one');
    }
    return claims;
  }

  private sign(data: string): string {
    return createHmac('sha256', this.key).update(data).digest('base64url');
  }
}

function badToken(): DirectLineError {
  return new DirectLineError(403, 'BAD_TOKEN', 'the token is not valid for this server');
}
