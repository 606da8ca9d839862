import type restify from 'restify';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { PublicOrigin } from './public-origin.js';
import type { DirectLineChannel, Principal } from '../channels/directline/directline-channel.js';
import { DirectLineError } from '../channels/directline/directline-error.js';
import { corsPreHandler } from './directline-cors.js';
import { OriginPolicy } from './directline-origin-policy.js';
import { attachDirectLineStreams } from './directline-stream.js';
import { refuseBody } from './body-reader.js';

/** Mount point of the Direct Line 3.0 API; clients use `<origin>/v3/directline` as their `domain`. */
export const DIRECTLINE_PREFIX = '/v3/directline';

/** Handle returned by {@link registerDirectLineRoutes}. */
export interface DirectLineRoutes {
  /** Closes the WebSocket streams (the channel's turns are drained by `channel.close()`). */
  close(): Promise<void>;
}

/**
 * Registers the Direct Line 3.0 routes (REST and the WebSocket stream) of `channel` on `server`.
 * Errors from clients answer 4xx `{ code, message }`; bodies are read (and limited) by the server's bodyReader().
 */
export function registerDirectLineRoutes(
  server: restify.Server,
  channel: DirectLineChannel,
  config: Config,
  logger: Logger,
): DirectLineRoutes {
  const policy = new OriginPolicy(config.ALLOWED_ORIGINS);
  const site = new PublicOrigin({ publicUrl: config.PUBLIC_URL, trustedProxyHops: config.TRUSTED_PROXY_HOPS });
  server.pre(corsPreHandler(policy, [DIRECTLINE_PREFIX]));
  server.pre(refuseUploads(DIRECTLINE_PREFIX));

  const handle =
    (action: (req: restify.Request, principal: Principal) => unknown, status = 200): restify.RequestHandler =>
    async (req, res) => {
      try {
        const principal = channel.authenticate(req.headers.authorization);
        res.send(status, await action(req, principal));
      } catch (error) {
        sendError(res, error, logger);
      }
    };

  server.post(
    `${DIRECTLINE_PREFIX}/conversations`,
    handle((req, principal) => channel.startConversation(principal, req.body, streamBase(req, site)), 201),
  );
  server.get(
    `${DIRECTLINE_PREFIX}/conversations/:conversationId`,
    handle((req, principal) =>
      channel.resumeConversation(principal, param(req), req.query?.watermark, streamBase(req, site)),
    ),
  );
  server.post(
    `${DIRECTLINE_PREFIX}/conversations/:conversationId/activities`,
    handle((req, principal) => channel.postActivity(principal, param(req), req.body)),
  );
  server.get(
    `${DIRECTLINE_PREFIX}/conversations/:conversationId/activities`,
    handle((req, principal) => channel.getActivities(principal, param(req), req.query?.watermark)),
  );
  server.post(`${DIRECTLINE_PREFIX}/tokens/refresh`, handle((_req, principal) => channel.refreshToken(principal)));
  server.post(`${DIRECTLINE_PREFIX}/tokens/generate`, handle((req, principal) => channel.generateToken(principal, req.body)));

  const streams = attachDirectLineStreams(server, channel, policy, `${DIRECTLINE_PREFIX}/conversations/`, logger);
  return { close: () => streams.close() };
}

/**
 * The `ws(s)://host/v3/directline` base the stream URLs are built on: PUBLIC_URL when set, else the request's own
 * origin (X-Forwarded-Proto / X-Forwarded-Host only from trusted proxies; see PublicOrigin).
 */
function streamBase(req: restify.Request, site: PublicOrigin): string {
  const { secure, host } = site.of(req);
  return `${secure ? 'wss' : 'ws'}://${host}${DIRECTLINE_PREFIX}`;
}

function param(req: restify.Request): string {
  const id = String(req.params?.conversationId ?? '');
  if (!/^[\w.:@|-]{1,128}$/.test(id)) throw new DirectLineError(404, 'CONVERSATION_NOT_FOUND', 'no such conversation');
  return id;
}

/**
 * A `pre` handler: uploads are not supported, so `POST <prefix>/conversations/:id/upload` is refused with 400 before
 * routing (the body is dropped unread; bodies other than JSON are refused by the body reader with 415).
 */
export function refuseUploads(prefix: string): restify.RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'POST' || !req.getPath().startsWith(prefix) || !/\/conversations\/[^/]+\/upload$/.test(req.getPath())) {
      return next();
    }
    void refuseBody(req, res, 400, { code: 'UPLOAD_NOT_SUPPORTED', message: 'file uploads are not supported by this server' }).then(
      () => next(false),
    );
  };
}

function sendError(res: restify.Response, error: unknown, logger: Logger): void {
  if (error instanceof DirectLineError) {
    res.send(error.status, error.toJSON());
    return;
  }
  logger.error({ err: error }, 'directline route: unexpected error');
  res.send(500, { code: 'INTERNAL', message: 'unexpected server error' });
}

