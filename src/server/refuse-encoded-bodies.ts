import type restify from 'restify';

/**
 * A `pre` handler answering 415 to requests whose body has a Content-Encoding (gzip, deflate, ...).
 * restify 12's body reader inflates such bodies with a zlib stream that has no error listener: one request with a
 * corrupt gzip body kills the whole process ("incorrect header check"). No client of ours compresses what it
 * sends (Web Chat, the Bot Framework connectors, the console), so refusing is the safe answer (RFC 7694).
 */
export function refuseEncodedBodies(): restify.RequestHandler {
  return (req, res, next) => {
    const encoding = String(req.headers['content-encoding'] ?? '').trim().toLowerCase();
    if (encoding === '' || encoding === 'identity') return next();
    res.header('Accept-Encoding', 'identity');
    res.send(415, { code: 'UNSUPPORTED_CONTENT_ENCODING', message: 'send the request body without Content-Encoding' });
    return next(false);
  };
}
