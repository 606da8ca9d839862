import type restify from 'restify';
import type { PublicOrigin } from './public-origin.js';
import { ConsoleAuth, CSRF_HEADER, SESSION_COOKIE, type StaffPrincipal } from '../console/console-auth.js';

/** Security headers of every console response (pages and API). */
export const CONSOLE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
};

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

/** The session token from the request's cookie (a Bearer header is deliberately not accepted). */
export function sessionToken(req: { headers: Record<string, string | string[] | undefined> }): string | undefined {
  const header = req.headers.cookie;
  return readCookie(Array.isArray(header) ? header.join(';') : header, SESSION_COOKIE);
}

/** Set-Cookie value of the session cookie; Max-Age 0 clears it. */
export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}${secure ? '; Secure' : ''}`;
}

export function sendJson(res: restify.Response, status: number, body: unknown): void {
  res.header('Content-Type', 'application/json; charset=utf-8');
  for (const [name, value] of Object.entries(CONSOLE_SECURITY_HEADERS)) res.header(name, value);
  res.send(status, body);
}

export function sendError(res: restify.Response, status: number, code: string, message: string): void {
  sendJson(res, status, { code, message });
}

export type StaffHandler = (req: restify.Request, res: restify.Response, principal: StaffPrincipal) => Promise<void>;

/**
 * Wraps a console API handler: 401 without a valid staff session; for state-changing requests also 403 unless
 * the request is same-origin and carries the session's CSRF token in X-CSRF-Token.
 */
export function staffOnly(auth: ConsoleAuth, handler: StaffHandler, options: { mutation: boolean; site: PublicOrigin }) {
  return async (req: restify.Request, res: restify.Response): Promise<void> => {
    const principal = await auth.authenticate(sessionToken(req));
    if (!principal) return sendError(res, 401, 'UNAUTHENTICATED', 'Sign in to the staff console first.');
    if (options.mutation) {
      const header = req.headers[CSRF_HEADER];
      if (options.site.isCrossOrigin(req) || !ConsoleAuth.csrfMatches(principal, Array.isArray(header) ? header[0] : header)) {
        return sendError(res, 403, 'CSRF_REJECTED', 'Missing or wrong X-CSRF-Token header, or a cross-site request.');
      }
    }
    await handler(req, res, principal);
  };
}
