import type restify from 'restify';
import type { OriginPolicy } from './directline-origin-policy.js';

const ALLOW_HEADERS = 'authorization, content-type, accept, x-ms-bot-agent, x-requested-with';

/**
 * A `pre` handler giving CORS to routes under `prefixes`: answers preflights (restify does not) and refuses
 * cross-origin calls from origins outside the policy with 403 `{code, message}`.
 */
export function corsPreHandler(policy: OriginPolicy, prefixes: readonly string[]): restify.RequestHandler {
  return (req, res, next) => {
    const path = req.getPath();
    if (!prefixes.some((prefix) => path.startsWith(prefix))) return next();
    const origin = req.headers.origin;
    const host = req.headers.host;
    if (!policy.isCrossOrigin(origin, host)) return next();
    if (!policy.allows(origin, host)) {
      res.send(403, { code: 'ORIGIN_NOT_ALLOWED', message: 'this origin is not in ALLOWED_ORIGINS' });
      return next(false);
    }
    res.header('Access-Control-Allow-Origin', origin);
    res.header('Vary', 'Origin');
    res.header('Access-Control-Expose-Headers', 'Retry-After');
    if (req.method === 'OPTIONS') {
      res.header('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      res.header('Access-Control-Allow-Headers', ALLOW_HEADERS);
      res.header('Access-Control-Max-Age', '600');
      res.send(204);
      return next(false);
    }
    return next();
  };
}
