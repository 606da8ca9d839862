import { connect } from 'node:net';

/** One request as bytes on the wire: anything may be odd in it (method, target, headers, body). */
export interface RawRequest {
  readonly method: string;
  readonly target: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body?: Buffer;
  /** Send these bytes instead of building a request (malformed HTTP). */
  readonly wire?: Buffer;
  /**
   * Half-close after sending (for a body shorter than its Content-Length). Node's server drops a request whose
   * client half-closed before the answer, so ordinary requests keep the socket open, as browsers and curl do.
   */
  readonly halfClose?: boolean;
}

/** What came back: the status (undefined when none), the whole response text, or how it failed. */
export interface RawResponse {
  readonly status: number | undefined;
  readonly text: string;
  readonly error?: string;
  readonly timedOut: boolean;
  readonly ms: number;
}

/**
 * Sends `request` on a fresh connection with `Connection: close` and reads until the server closes it, so
 * upgrades, odd targets and bodies that node's HTTP client would refuse to send all reach the server as written.
 */
export function sendRaw(port: number, request: RawRequest, timeoutMs: number): Promise<RawResponse> {
  const started = Date.now();
  const wire =
    request.wire ??
    Buffer.concat([
      Buffer.from(
        `${request.method} ${request.target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n` +
          request.headers.map(([name, value]) => `${name}: ${value}\r\n`).join('') +
          (request.body && !request.headers.some(([name]) => /^(content-length|transfer-encoding)$/i.test(name))
            ? `Content-Length: ${request.body.length}\r\n`
            : '') +
          '\r\n',
        'latin1',
      ),
      request.body ?? Buffer.alloc(0),
    ]);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let error: string | undefined;
    let settled = false;
    const socket = connect(port, '127.0.0.1', () => (request.halfClose ? socket.end(wire) : socket.write(wire)));
    const finish = (timedOut: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('utf8');
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: match ? Number(match[1]) : undefined, text, timedOut, ms: Date.now() - started, ...(error ? { error } : {}) });
    };
    const timer = setTimeout(() => finish(true), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      // A 101 keeps the socket open by design: the answer is in, the test is over.
      if (/^HTTP\/1\.1 101 /.test(Buffer.concat(chunks).toString('latin1', 0, 16))) finish(false);
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message;
    });
    socket.on('close', () => finish(false));
  });
}
