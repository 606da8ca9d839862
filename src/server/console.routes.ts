import type restify from 'restify';
import { z } from 'zod';
import type { ConsoleAuth } from '../console/console-auth.js';
import { PUBLIC_ASSETS, type ConsolePages } from '../console/console-pages.js';
import type { ConsoleQueries } from '../console/console-queries.js';
import type { SignInLimiter } from '../console/login-rate-limiter.js';
import type { PublicOrigin } from './public-origin.js';
import { HandoffError } from '../handoff/handoff-errors.js';
import type { HandoffService } from '../handoff/handoff-service.js';
import { HANDOFF_STATES, type HandoffState } from '../handoff/handoff-state.js';
import type { Logger } from '../logger.js';
import { clientAddress } from './client-address.js';
import {
  CONSOLE_SECURITY_HEADERS,
  sendError,
  sendJson,
  sessionCookie,
  sessionToken,
  staffOnly,
  type StaffHandler,
} from './console-http.js';

/** Collaborators of the console routes. */
export interface ConsoleRouteDependencies {
  readonly auth: ConsoleAuth;
  readonly limiter: SignInLimiter;
  readonly handoff: HandoffService;
  readonly queries: ConsoleQueries;
  readonly pages: ConsolePages;
  readonly sessionHours: number;
  /** See clientAddress(): how many proxies' X-Forwarded-For entries to trust for the sign-in limit. */
  readonly trustedProxyHops: number;
  /** This server's origin (PUBLIC_URL, or the request behind trusted proxies): Secure cookie, same-origin check. */
  readonly site: PublicOrigin;
  readonly logger: Logger;
}

const loginSchema = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) });
const conversationIdSchema = z.string().min(1).max(300);
const listQuerySchema = z.object({
  status: z
    .string()
    .optional()
    .transform((s) => (s ?? '').split(',').filter((part) => part !== '' && part !== 'all'))
    .pipe(z.array(z.enum(HANDOFF_STATES as [HandoffState, ...HandoffState[]]))),
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
const replySchema = z.object({ text: z.string().trim().min(1).max(4000) });
const dashboardQuerySchema = z.object({ days: z.coerce.number().int().min(1).max(90).default(14) });
const callbackQuerySchema = z.object({ status: z.enum(['open', 'done']).optional() });
const callbackUpdateSchema = z.object({ status: z.enum(['open', 'done']) });

const HANDOFF_HTTP_STATUS: Record<HandoffError['code'], number> = {
  CONVERSATION_NOT_FOUND: 404,
  HANDOFF_NOT_HOLDER: 403,
  HANDOFF_ALREADY_TAKEN: 409,
  HANDOFF_INVALID_TRANSITION: 409,
  HANDOFF_CONFLICT: 409,
  CONVERSATION_CHANNEL_MISMATCH: 409,
};

const firstIssue = (error: z.ZodError): string => {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid request';
};

/** `/console` (pages) and `/api/console` (JSON API). See docs/console-api.md. */
export function registerConsoleRoutes(server: restify.Server, deps: ConsoleRouteDependencies): void {
  const { auth, limiter, handoff, queries, pages, logger } = deps;

  /** Maps refusals to 4xx; anything else is logged and answered 500 without details. */
  const guarded =
    (handler: StaffHandler): StaffHandler =>
    async (req, res, principal) => {
      try {
        await handler(req, res, principal);
      } catch (error) {
        if (error instanceof HandoffError) return sendError(res, HANDOFF_HTTP_STATUS[error.code], error.code, error.message);
        if ((error as { code?: string }).code === 'CONVERSATION_NOT_FOUND') {
          return sendError(res, 404, 'CONVERSATION_NOT_FOUND', (error as Error).message);
        }
        logger.error({ err: error, url: req.url }, 'console API: unexpected error');
        sendError(res, 500, 'INTERNAL', 'Unexpected error; see the server log.');
      }
    };
  const read = (handler: StaffHandler) => staffOnly(auth, guarded(handler), { mutation: false, site: deps.site });
  const write = (handler: StaffHandler) => staffOnly(auth, guarded(handler), { mutation: true, site: deps.site });
  const agentOf = (principal: { user: { username: string; displayName: string } }) => ({
    username: principal.user.username,
    displayName: principal.user.displayName,
  });
  const idParam = (req: restify.Request): string | undefined => {
    const parsed = conversationIdSchema.safeParse(req.params?.id);
    return parsed.success ? parsed.data : undefined;
  };

  // ---- pages ----
  const sendPage = (res: restify.Response, status: number, body: string, contentType = 'text/html; charset=utf-8'): void => {
    res.writeHead(status, { 'Content-Type': contentType, ...CONSOLE_SECURITY_HEADERS });
    res.end(body);
  };
  const loginPage = async (req: restify.Request, res: restify.Response): Promise<void> => {
    const locale = pages.pickLocale(String(req.query?.lang ?? ''), req.headers['accept-language']);
    sendPage(res, 200, pages.render('login', locale));
  };
  const consolePage = async (req: restify.Request, res: restify.Response): Promise<void> => {
    const locale = pages.pickLocale(String(req.query?.lang ?? ''), req.headers['accept-language']);
    if (!(await auth.authenticate(sessionToken(req)))) {
      // 401 like every other console URL; the body sends a browser on to the sign-in page.
      return sendPage(res, 401, pages.render('login', locale));
    }
    sendPage(res, 200, pages.render('index', locale));
  };
  server.get('/console', consolePage);
  server.get('/console/', consolePage);
  server.get('/console/login', loginPage);
  server.get('/console/:file', async (req, res) => {
    const name = String(req.params?.file ?? '');
    const asset = pages.asset(name);
    const publicAsset = PUBLIC_ASSETS.has(name);
    if (!publicAsset && !(await auth.authenticate(sessionToken(req)))) {
      return sendError(res, 401, 'UNAUTHENTICATED', 'Sign in to the staff console first.');
    }
    if (!asset) return sendError(res, 404, 'NOT_FOUND', 'No such console file.');
    sendPage(res, 200, asset.body, asset.contentType);
  });

  // ---- session ----
  server.post('/api/console/login', async (req, res) => {
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return sendError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the credentials as application/json.');
    }
    if (deps.site.isCrossOrigin(req)) return sendError(res, 403, 'CSRF_REJECTED', 'Cross-site sign-in refused.');
    const parsed = loginSchema.safeParse(req.body);
    if (!parsed.success) return sendError(res, 400, 'BAD_REQUEST', firstIssue(parsed.error));
    const address = clientAddress(req, deps.trustedProxyHops);
    // Counted before the (slow) password check, so parallel guesses cannot all slip under the limit.
    const wait = await limiter.acquire(address, parsed.data.username);
    if (wait > 0) {
      res.header('Retry-After', String(wait));
      return sendError(res, 429, 'TOO_MANY_ATTEMPTS', `Too many failed sign-ins; try again in ${wait} s.`);
    }
    const result = await auth.login(parsed.data.username, parsed.data.password);
    if (!result) {
      logger.warn({ username: parsed.data.username, address }, 'console: failed sign-in');
      return sendError(res, 401, 'BAD_CREDENTIALS', 'Wrong username or password.');
    }
    await limiter.recordSuccess(address, parsed.data.username);
    const { session, user } = result.principal;
    res.header('Set-Cookie', sessionCookie(result.token, deps.sessionHours * 3600, deps.site.of(req).secure));
    logger.info({ username: user.username }, 'console: signed in');
    sendJson(res, 200, { username: user.username, displayName: user.displayName, role: user.role, csrfToken: session.csrfToken });
  });
  server.post(
    '/api/console/logout',
    write(async (req, res) => {
      const token = sessionToken(req);
      if (token) await auth.logout(token);
      res.header('Set-Cookie', sessionCookie('', 0, deps.site.of(req).secure));
      sendJson(res, 200, { ok: true });
    }),
  );
  server.get(
    '/api/console/me',
    read(async (_req, res, { user, session }) => {
      sendJson(res, 200, { username: user.username, displayName: user.displayName, role: user.role, csrfToken: session.csrfToken });
    }),
  );

  // ---- conversations ----
  server.get(
    '/api/console/conversations',
    read(async (req, res) => {
      const parsed = listQuerySchema.safeParse(req.query ?? {});
      if (!parsed.success) return sendError(res, 400, 'BAD_REQUEST', firstIssue(parsed.error));
      const conversations = await queries.listConversations(parsed.data.status, parsed.data.q, parsed.data.limit);
      sendJson(res, 200, { conversations });
    }),
  );
  server.get(
    '/api/console/conversations/:id',
    read(async (req, res) => {
      const id = idParam(req);
      const detail = id ? await queries.getConversation(id) : undefined;
      if (!detail) return sendError(res, 404, 'CONVERSATION_NOT_FOUND', 'No conversation with this id.');
      sendJson(res, 200, detail);
    }),
  );
  const action = (run: (id: string, agent: { username: string; displayName: string }, body: unknown) => Promise<unknown>) =>
    write(async (req, res, principal) => {
      const id = idParam(req);
      if (!id) return sendError(res, 404, 'CONVERSATION_NOT_FOUND', 'No conversation with this id.');
      const result = await run(id, agentOf(principal), req.body);
      if (result !== undefined) sendJson(res, 200, result);
    });
  server.post(
    '/api/console/conversations/:id/takeover',
    action(async (id, agent) => ({ conversation: await handoff.summarize(await handoff.takeOver(id, agent)) })),
  );
  server.post(
    '/api/console/conversations/:id/release',
    action(async (id, agent) => ({ conversation: await handoff.summarize(await handoff.release(id, agent)) })),
  );
  server.post(
    '/api/console/conversations/:id/close',
    action(async (id, agent) => ({ conversation: await handoff.summarize(await handoff.close(id, agent)) })),
  );
  server.post(
    '/api/console/conversations/:id/messages',
    write(async (req, res, principal) => {
      const id = idParam(req);
      if (!id) return sendError(res, 404, 'CONVERSATION_NOT_FOUND', 'No conversation with this id.');
      const parsed = replySchema.safeParse(req.body);
      if (!parsed.success) return sendError(res, 400, 'BAD_REQUEST', firstIssue(parsed.error));
      sendJson(res, 201, { activity: await handoff.reply(id, agentOf(principal), parsed.data.text) });
    }),
  );

  // ---- callbacks, ratings, dashboard ----
  server.get(
    '/api/console/callbacks',
    read(async (req, res) => {
      const parsed = callbackQuerySchema.safeParse(req.query ?? {});
      if (!parsed.success) return sendError(res, 400, 'BAD_REQUEST', firstIssue(parsed.error));
      sendJson(res, 200, { callbacks: await queries.callbacks(parsed.data.status) });
    }),
  );
  server.post(
    '/api/console/callbacks/:id',
    write(async (req, res, { user }) => {
      const parsed = callbackUpdateSchema.safeParse(req.body);
      if (!parsed.success) return sendError(res, 400, 'BAD_REQUEST', firstIssue(parsed.error));
      const updated = await queries.setCallbackStatus(String(req.params?.id ?? ''), parsed.data.status, user.username);
      if (!updated) return sendError(res, 404, 'CALLBACK_NOT_FOUND', 'No callback request with this id.');
      sendJson(res, 200, { callback: updated });
    }),
  );
  server.get(
    '/api/console/ratings',
    read(async (_req, res) => sendJson(res, 200, await queries.ratings())),
  );
  server.get(
    '/api/console/dashboard',
    read(async (req, res) => {
      const parsed = dashboardQuerySchema.safeParse(req.query ?? {});
      if (!parsed.success) return sendError(res, 400, 'BAD_REQUEST', firstIssue(parsed.error));
      sendJson(res, 200, await queries.dashboard(parsed.data.days));
    }),
  );

  // Unknown console API paths answer 401 before 404, so they reveal nothing to strangers.
  const unknownApi = read(async (_req, res) => sendError(res, 404, 'NOT_FOUND', 'No such console API route.'));
  for (const method of ['get', 'post', 'put', 'del', 'patch'] as const) server[method]('/api/console/*', unknownApi);
}
