import type restify from 'restify';
import { z } from 'zod';
import type { ConsoleAuth } from '../console/console-auth.js';
import type { Logger } from '../logger.js';
import { eraseSellerData, exportSellerData, isEmptyExport, isNothingErased } from '../privacy/audited-seller-data.js';
import type { SellerDataStore, SellerSelector } from '../privacy/seller-data.js';
import type { PublicOrigin } from './public-origin.js';
import { sendError, sendJson, staffOnly, type StaffHandler } from './console-http.js';

const id = z.string().trim().min(1).max(300);
/** Exactly one of the two ids. */
export const sellerSelectorSchema = z
  .object({ conversationId: id.optional(), userId: id.optional() })
  .strict()
  .refine((body) => (body.conversationId === undefined) !== (body.userId === undefined), {
    message: 'give exactly one of conversationId and userId',
  })
  .transform((body): SellerSelector => (body.conversationId !== undefined ? { conversationId: body.conversationId } : { userId: body.userId! }));

/** Collaborators of {@link registerSellerDataRoutes}. */
export interface SellerDataRouteDependencies {
  readonly auth: ConsoleAuth;
  readonly store: SellerDataStore;
  readonly logger: Logger;
  /** The console's own origin, for the CSRF Origin check of these mutations. */
  readonly site: PublicOrigin;
}

/**
 * `POST /api/console/seller-data/export` and `/delete` (see docs/console-api.md): administrators only, with the
 * CSRF check of every console mutation. Both are POST, so that the ids stay out of URLs and access logs and a
 * cross-site page cannot trigger them; both are audited in the log.
 */
export function registerSellerDataRoutes(server: restify.Server, deps: SellerDataRouteDependencies): void {
  const { auth, store, logger, site } = deps;
  const adminAction =
    (run: (selector: SellerSelector, actor: string, res: restify.Response) => Promise<void>): StaffHandler =>
    async (req, res, { user }) => {
      if (user.role !== 'admin') return sendError(res, 403, 'ADMIN_ONLY', 'Only an administrator may export or delete seller data.');
      const parsed = sellerSelectorSchema.safeParse(req.body ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return sendError(res, 400, 'BAD_REQUEST', issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid request');
      }
      try {
        await run(parsed.data, `console:${user.username}`, res);
      } catch (error) {
        logger.error({ err: error, url: req.url }, 'seller data route: unexpected error');
        sendError(res, 500, 'INTERNAL', 'Unexpected error; see the server log.');
      }
    };
  const notFound = (res: restify.Response) => sendError(res, 404, 'SELLER_DATA_NOT_FOUND', 'Nothing is stored about this conversation or user.');

  server.post(
    '/api/console/seller-data/export',
    staffOnly(
      auth,
      adminAction(async (selector, actor, res) => {
        const data = await exportSellerData(store, selector, actor, logger);
        if (isEmptyExport(data)) return notFound(res);
        res.header('Content-Disposition', 'attachment; filename="seller-data.json"');
        sendJson(res, 200, data);
      }),
      { mutation: true, site },
    ),
  );
  server.post(
    '/api/console/seller-data/delete',
    staffOnly(
      auth,
      adminAction(async (selector, actor, res) => {
        const deleted = await eraseSellerData(store, selector, actor, logger);
        if (isNothingErased(deleted)) return notFound(res);
        sendJson(res, 200, { deleted });
      }),
      { mutation: true, site },
    ),
  );
}
