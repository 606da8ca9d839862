import type { IncomingMessage } from 'node:http';
import { brotliDecompress, gunzip, inflate, type InputType, type ZlibOptions } from 'node:zlib';
import type restify from 'restify';
import { jsonTextDepth, MAX_JSON_DEPTH } from '../channels/json-depth.js';
import type { Logger } from '../logger.js';

/** Bounds on one request body. */
export interface BodyLimits {
  /** Largest body in bytes, counted after decompression (and, for compressed bodies, before it too). */
  readonly maxBytes: number;
  /** Deepest array/object nesting of the JSON. */
  readonly maxDepth: number;
}

/** Options of {@link bodyReader}. */
export interface BodyReaderOptions {
  /** Limits of every route not listed in `routes`. */
  readonly defaults: BodyLimits;
  /** Tighter (or looser) limits for paths starting with `prefix`; the first match wins. */
  readonly routes?: ReadonlyArray<{ readonly prefix: string; readonly limits: Partial<BodyLimits> }>;
}

/** Defaults of {@link BodyReaderOptions}: the largest activity a channel sends is well under 256 KB. */
export const BODY_READER_DEFAULTS: BodyReaderOptions = Object.freeze({
  defaults: { maxBytes: 256 * 1024, maxDepth: MAX_JSON_DEPTH },
});

type Decoder = (input: InputType, options: ZlibOptions, callback: (error: Error | null, result: Buffer) => void) => void;
const DECODERS: Readonly<Record<string, Decoder>> = {
  gzip: gunzip,
  'x-gzip': gunzip,
  deflate: inflate,
  br: brotliDecompress as unknown as Decoder,
};

/** A refused body up to this size is read and dropped before the answer; a bigger one gets the answer and a close. */
const DISCARD_LIMIT_BYTES = 8 * 1024 * 1024;

/** Methods whose body this server never reads (Node discards it). */
const BODILESS_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A refusal of the body: status and the `{ code, message }` the client receives. */
class BodyError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads JSON request bodies into `req.body`, in place of restify's body parser: every stream has an error handler,
 * compressed bodies are inflated with a bound on the inflated size, nothing is written to disk, and refusals are
 * 4xx `{ code, message }` (413 too large, 415 not JSON or an unknown encoding, 400 malformed, truncated or too deep).
 * An empty body leaves `req.body` undefined.
 */
export function bodyReader(logger: Logger, options: BodyReaderOptions = BODY_READER_DEFAULTS): restify.RequestHandler {
  const limitsFor = (path: string): BodyLimits => {
    const route = options.routes?.find((candidate) => path.startsWith(candidate.prefix));
    return { ...options.defaults, ...route?.limits };
  };
  return (req, res, next) => {
    if (BODILESS_METHODS.has(req.method ?? 'GET') || !hasBody(req)) {
      req.body = undefined;
      return next();
    }
    const limits = limitsFor(req.getPath());
    readJson(req, limits).then(
      (body) => {
        req.body = body;
        next();
      },
      (error: unknown) => {
        if (!(error instanceof BodyError)) logger.error({ err: error, url: req.url }, 'bodyReader(): unexpected error');
        const refusal = error instanceof BodyError ? error : new BodyError(400, 'BAD_REQUEST', 'unreadable request body');
        void refuseBody(req, res, refusal.status, { code: refusal.code, message: refusal.message }).then(() => next(false));
      },
    );
  };
}

/**
 * Answers `status` to a request whose body is not wanted. Answering while the client still sends makes the close a
 * TCP reset that can wipe the answer before the client reads it, so the rest of the body is read and dropped first
 * (nothing is kept); past {@link DISCARD_LIMIT_BYTES} the answer goes out at once with `Connection: close`.
 */
export async function refuseBody(
  req: IncomingMessage,
  res: restify.Response,
  status: number,
  body: { code: string; message: string },
): Promise<void> {
  if (!(await discardRest(req, DISCARD_LIMIT_BYTES))) res.header('Connection', 'close');
  if (!req.socket.destroyed) res.send(status, body);
}

function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

async function readJson(req: IncomingMessage, limits: BodyLimits): Promise<unknown> {
  checkContentType(req.headers['content-type']);
  const encoding = String(req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const decoder = encoding === 'identity' || encoding === '' ? undefined : DECODERS[encoding];
  if (encoding !== 'identity' && encoding !== '' && !decoder) {
    throw new BodyError(415, 'UNSUPPORTED_ENCODING', 'Content-Encoding must be gzip, deflate, br or identity');
  }
  const raw = await readRaw(req, limits.maxBytes);
  const bytes = decoder ? await decode(decoder, raw, encoding, limits.maxBytes) : raw;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new BodyError(400, 'BAD_REQUEST', 'the body is not valid UTF-8');
  }
  if (text.trim() === '') return undefined;
  if (jsonTextDepth(text, limits.maxDepth) > limits.maxDepth) {
    throw new BodyError(400, 'BAD_REQUEST', `the JSON body is nested deeper than ${limits.maxDepth} levels`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new BodyError(400, 'BAD_REQUEST', `the body is not valid JSON: ${(error as Error).message}`);
  }
}

/** Only JSON in UTF-8 (or no type at all, which clients such as curl omit). Refused before a byte is read. */
function checkContentType(header: string | undefined): void {
  const [type = '', ...parameters] = String(header ?? '').split(';');
  const mediaType = type.trim().toLowerCase();
  if (mediaType !== '' && mediaType !== 'application/json') {
    throw new BodyError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
  }
  for (const parameter of parameters) {
    const [name = '', value = ''] = parameter.split('=').map((part) => part.trim().toLowerCase());
    if (name === 'charset' && value.replace(/"/g, '') !== 'utf-8' && value.replace(/"/g, '') !== 'utf8') {
      throw new BodyError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json in UTF-8');
    }
  }
}

/** The body's bytes as sent, refused once they pass `maxBytes` (the declared Content-Length is checked first). */
function readRaw(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const tooLarge = (): BodyError => new BodyError(413, 'BODY_TOO_LARGE', `the body exceeds ${maxBytes} bytes`);
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('aborted', onAborted);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onAborted = (): void => {
      cleanup();
      reject(new BodyError(400, 'BAD_REQUEST', 'the client aborted the request body'));
    };
    const onClose = (): void => {
      if (!req.complete) onAborted();
    };
    // Errors of the socket reach the request; without a listener one would be thrown process-wide.
    req.on('error', onAborted);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('aborted', onAborted);
    req.on('close', onClose);
  });
}

/**
 * Reads and drops what is left of a refused body; true once it has all arrived, false when more than `limit` bytes
 * are left (the caller then closes the connection).
 */
function discardRest(req: IncomingMessage, limit: number): Promise<boolean> {
  if (req.complete || req.socket.destroyed) return Promise.resolve(true);
  if (Number(req.headers['content-length'] ?? 0) > limit) return Promise.resolve(false);
  return new Promise((resolve) => {
    let seen = 0;
    const done = (complete: boolean): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onEnd);
      resolve(complete);
    };
    const onData = (chunk: Buffer): void => {
      seen += chunk.length;
      if (seen > limit) done(false);
    };
    const onEnd = (): void => done(true);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onEnd);
    req.resume();
  });
}

/** Inflates with Node's bound on the output (`maxOutputLength`): a zip bomb stops at `maxBytes`. */
function decode(decoder: Decoder, raw: Buffer, encoding: string, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    decoder(raw, { maxOutputLength: maxBytes }, (error, result) => {
      if (!error) return resolve(result);
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        return reject(new BodyError(413, 'BODY_TOO_LARGE', `the body exceeds ${maxBytes} bytes once inflated`));
      }
      reject(new BodyError(400, 'BAD_REQUEST', `the body is not valid ${encoding} data (${error.message})`));
    });
  });
}
