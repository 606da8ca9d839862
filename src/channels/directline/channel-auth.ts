import { timingSafeEqual } from 'node:crypto';
import { DirectLineError } from './directline-error.js';
import { TokenService, type IssuedToken, type TokenClaims } from './token-service.js';

/** Who is calling: a site's back end holding the secret, or a client holding a conversation token. */
export type Principal = { readonly kind: 'secret' } | { readonly kind: 'token'; readonly claims: TokenClaims };

/** An expired page token may still resume its conversation for this long. */
const RESUME_GRACE_SECONDS = 30 * 24 * 3600;

/**
 * Who may do what on the channel: checks the `Authorization` header (secret or token), a token's conversation,
 * and issues tokens. Stateless apart from the secret, so every instance sharing the secret agrees.
 */
export class ChannelAuth {
  private readonly tokens: TokenService;

  constructor(
    private readonly secret: string,
    tokenTtlSeconds: number,
    now: () => number,
  ) {
    this.tokens = new TokenService(secret, tokenTtlSeconds, now);
  }

  /**
   * Reads the `Authorization` header.
   * @throws {DirectLineError} 401 when missing, 403 when wrong or expired.
   */
  authenticate(authorization: string | undefined): Principal {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) throw new DirectLineError(401, 'MISSING_AUTHORIZATION', 'send "Authorization: Bearer <token or secret>"');
    const credential = match[1]!;
    // The secret first: Azure-style secrets contain dots too, so a dot does not make a credential a token.
    if (safeEqual(credential, this.secret)) return { kind: 'secret' };
    if (!credential.includes('.')) {
      throw new DirectLineError(403, 'BAD_TOKEN', 'the secret or token is not valid for this server');
    }
    return { kind: 'token', claims: this.tokens.verify(credential) };
  }

  /** @throws {DirectLineError} 403 when a token names another conversation. */
  checkConversation(principal: Principal, conversationId: string): void {
    if (principal.kind === 'token' && principal.claims.conv !== conversationId) {
      throw new DirectLineError(403, 'FORBIDDEN', 'the token belongs to another conversation');
    }
  }

  /** A token for one conversation and user. */
  issue(conversationId: string, userId: string): IssuedToken {
    return this.tokens.issue(conversationId, userId);
  }

  /**
   * The claims of a page's earlier token, accepted up to 30 days after it expired (resuming a conversation).
   * @throws {DirectLineError} 403 when forged or too old.
   */
  previousPageToken(token: string): TokenClaims {
    return this.tokens.verify(token, RESUME_GRACE_SECONDS);
  }
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
