import type restify from 'restify';

const REGISTRATION_METHODS = ['pre', 'use', 'get', 'head', 'post', 'put', 'patch', 'del', 'opts'] as const;

type Handler = (req: restify.Request, res: restify.Response, next: restify.Next) => unknown;

/**
 * Makes a synchronous throw in a callback-style handler `(req, res, next)` end its request through restify's error
 * path (500 and the `restifyError` log line) instead of escaping as an uncaught exception that would stop the
 * process: restify calls such handlers from `process.nextTick` without a try. Async handlers need nothing (a throw
 * is a rejection, which restify answers). Wraps the handlers passed to every registration method of `server`.
 */
export function guardHandlers(server: restify.Server): void {
  const target = server as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const method of REGISTRATION_METHODS) {
    const register = target[method]!.bind(server);
    target[method] = (...args: unknown[]) => register(...args.map((arg) => (isCallbackHandler(arg) ? guarded(arg) : arg)));
  }
}

function isCallbackHandler(value: unknown): value is Handler {
  return typeof value === 'function' && value.length === 3 && value.constructor.name !== 'AsyncFunction';
}

function guarded(handler: Handler): Handler {
  const wrapper = function (req: restify.Request, res: restify.Response, next: restify.Next): void {
    try {
      handler(req, res, next);
    } catch (error) {
      next(error instanceof Error ? error : new Error(String(error)));
    }
  };
  // restify names handlers in its timings and messages after the function.
  Object.defineProperty(wrapper, 'name', { value: handler.name || 'handler' });
  return wrapper;
}
