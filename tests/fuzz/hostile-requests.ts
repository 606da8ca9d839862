import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { RawRequest } from './raw-http.js';

/** Credentials and ids the generated requests mix up (two conversations, so leaks between them show). */
export interface FuzzContext {
  readonly secret: string;
  /** Conversation A: only its token (and the secret, and staff) may read it; its history holds `markerA`. */
  readonly conversationA: string;
  readonly tokenA: string;
  readonly markerA: string;
  readonly conversationB: string;
  readonly tokenB: string;
  /** A correctly signed token for A that has expired. */
  readonly expiredTokenA: string;
  /** A signed-in staff member's cookie and CSRF token. */
  readonly staffCookie: string;
  readonly csrfToken: string;
}

/** A generated request and what may legitimately happen to it. */
export interface FuzzCase {
  readonly label: string;
  readonly request: RawRequest;
  /** May see conversation A's data (its token, the secret, or a staff session). */
  readonly entitledToA: boolean;
  /** The server may close the connection before reading everything (oversized body). */
  readonly mayReset: boolean;
}

const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024), { level: 9 }); // ~20 KB that inflates to 20 MB
const huge = Buffer.from(JSON.stringify({ type: 'message', text: 'x', channelData: { pad: 'y'.repeat(400 * 1024) } }));
const deep = (levels: number, open = '[', close = ']'): string => open.repeat(levels) + close.repeat(levels);

const conversationIds = (ctx: FuzzContext): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(ctx.conversationA, ctx.conversationB, encodeURIComponent(ctx.conversationA)),
    fc.constantFrom('%', '%E0%A4%A', '%00', '..%2F..%2Fetc', 'x'.repeat(300), '%F0%9F%98', 'a|b', ''),
    fc.stringMatching(/^[\w.%|:-]{1,40}$/),
  );

const paths = (ctx: FuzzContext): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 6, arbitrary: conversationIds(ctx).map((id) => `/v3/directline/conversations/${id}/activities`) },
    { weight: 2, arbitrary: conversationIds(ctx).map((id) => `/v3/directline/conversations/${id}`) },
    { weight: 2, arbitrary: conversationIds(ctx).map((id) => `/v3/directline/conversations/${id}/stream?t=x`) },
    { weight: 1, arbitrary: conversationIds(ctx).map((id) => `/v3/directline/conversations/${id}/upload`) },
    {
      weight: 4,
      arbitrary: fc.constantFrom(
        '/api/messages',
        '/v3/directline/conversations',
        '/v3/directline/tokens/generate',
        '/v3/directline/tokens/refresh',
        '/api/widget/token',
        '/api/widget/strings/en',
        '/api/widget/strings/%',
        '/api/console/login',
        '/api/console/me',
        '/api/console/conversations',
        '/api/console/conversations?status=queued,bogus&limit=-1',
        '/api/console/dashboard?days=99999',
        '/api/console/callbacks',
        '/api/console/live',
        '/console',
        '/console/%2e%2e%2fpackage.json',
        '/healthz',
        '/',
        '/?lang=%',
        '//',
        '/embed.js',
        '/v3/directline/conversations/x/STREAM',
        '/v3/directline/conversations/x/stream/',
        '/%',
        '/%E0%A4%A',
      ),
    },
    { weight: 2, arbitrary: conversationIds(ctx).map((id) => `/api/console/conversations/${id}/takeover`) },
    { weight: 1, arbitrary: fc.stringMatching(/^\/[\x21-\x7e]{0,60}$/) },
  );

const authorizations = (ctx: FuzzContext): fc.Arbitrary<{ header?: string; entitledToA: boolean }> =>
  fc.oneof(
    fc.constant({ entitledToA: false }),
    fc.constant({ header: `Bearer ${ctx.tokenA}`, entitledToA: true }),
    fc.constant({ header: `Bearer ${ctx.tokenB}`, entitledToA: false }),
    fc.constant({ header: `Bearer ${ctx.secret}`, entitledToA: true }),
    fc.constant({ header: `Bearer ${ctx.expiredTokenA}`, entitledToA: false }),
    fc.constant({ header: `Bearer ${ctx.tokenA.slice(0, -2)}xx`, entitledToA: false }),
    fc.constant({ header: `Bearer ${forgeClaims(ctx.tokenB, ctx.conversationA)}`, entitledToA: false }),
    fc.constant({ header: 'Bearer a.b.c', entitledToA: false }),
    fc.constant({ header: 'Basic Zm9vOmJhcg==', entitledToA: false }),
    fc.stringMatching(/^[\x21-\x7e]{0,80}$/).map((value) => ({ header: value, entitledToA: false })),
  );

/** B's signed header and signature with A's conversation in the payload: a forgery the signature must expose. */
function forgeClaims(token: string, conversation: string): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  return `${header}.${Buffer.from(JSON.stringify({ ...claims, conv: conversation })).toString('base64url')}.${signature}`;
}

interface Body {
  readonly bytes?: Buffer;
  readonly contentType?: string;
  readonly contentEncoding?: string;
  readonly mayReset?: boolean;
  readonly label: string;
}

const activityJson = fc.record({
  type: fc.constantFrom('message', 'event', 'typing', 'conversationUpdate', 'invoke', ''),
  text: fc.oneof(fc.string({ maxLength: 40 }), fc.constant('我想关闭速卖通店铺'), fc.constant('转人工')),
  name: fc.constantFrom('handoff.status', 'webchat/join', 'x'),
  value: fc.jsonValue({ maxDepth: 4 }),
  channelId: fc.constantFrom('directline', 'emulator', 'msteams'),
  serviceUrl: fc.constantFrom('http://127.0.0.1:9/', 'not a url', 'https://smba.trafficmanager.net/'),
  conversation: fc.record({ id: fc.string({ maxLength: 20 }) }),
  from: fc.record({ id: fc.constantFrom('u1', 'agent:alice', ''), role: fc.constantFrom('user', 'bot') }),
  recipient: fc.record({ id: fc.constant('bot') }),
});

const bodies: fc.Arbitrary<Body> = fc.oneof(
  { weight: 2, arbitrary: fc.constant<Body>({ label: 'none' }) },
  {
    weight: 6,
    arbitrary: activityJson.map((a) => ({ label: 'activity', bytes: Buffer.from(JSON.stringify(a)), contentType: 'application/json' })),
  },
  {
    weight: 3,
    arbitrary: fc
      .jsonValue({ maxDepth: 6 })
      .map((v) => ({ label: 'json', bytes: Buffer.from(JSON.stringify(v) ?? 'null'), contentType: 'application/json' })),
  },
  {
    weight: 3,
    arbitrary: fc.integer({ min: 60, max: 6000 }).chain((levels) =>
      fc.constantFrom<Body>(
        { label: 'deep value', bytes: Buffer.from(`{"type":"message","text":"hi","value":${deep(levels)}}`), contentType: 'application/json' },
        {
          label: 'deep channelData',
          bytes: Buffer.from(`{"type":"message","text":"hi","channelData":${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}}`),
          contentType: 'application/json',
        },
        { label: 'deep entities', bytes: Buffer.from(`{"type":"message","text":"hi","entities":[{"type":"x","v":${deep(levels)}}]}`), contentType: 'application/json' },
      ),
    ),
  },
  { weight: 1, arbitrary: fc.constant<Body>({ label: 'huge', bytes: huge, contentType: 'application/json', mayReset: true }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom<Body>(
      { label: 'gzip', bytes: gzipSync('{"type":"message","text":"hi"}'), contentType: 'application/json', contentEncoding: 'gzip' },
      { label: 'deflate', bytes: deflateSync('{"type":"message","text":"hi"}'), contentType: 'application/json', contentEncoding: 'deflate' },
      { label: 'br', bytes: brotliCompressSync('{"type":"message","text":"hi"}'), contentType: 'application/json', contentEncoding: 'br' },
      { label: 'not gzip', bytes: Buffer.from('x'), contentType: 'application/json', contentEncoding: 'gzip' },
      { label: 'truncated gzip', bytes: gzipSync('{"type":"message","text":"hello there"}').subarray(0, 12), contentType: 'application/json', contentEncoding: 'gzip' },
      { label: 'gzip bomb', bytes: bomb, contentType: 'application/json', contentEncoding: 'gzip' },
      { label: 'zstd', bytes: Buffer.from('{}'), contentType: 'application/json', contentEncoding: 'zstd' },
      { label: 'double gzip', bytes: gzipSync(gzipSync('{}')), contentType: 'application/json', contentEncoding: 'gzip, gzip' },
    ),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom<Body>(
      { label: 'csv', bytes: Buffer.from('a,b\n1,2'), contentType: 'text/csv' },
      { label: 'tsv', bytes: Buffer.from('a\tb'), contentType: 'text/tsv' },
      { label: 'form', bytes: Buffer.from('username=admin&password=x'), contentType: 'application/x-www-form-urlencoded' },
      {
        label: 'multipart',
        bytes: Buffer.from(`--B\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n\r\n${'z'.repeat(50_000)}\r\n--B--\r\n`),
        contentType: 'multipart/form-data; boundary=B',
      },
      { label: 'latin1 json', bytes: Buffer.from('{"text":"\xe9"}', 'latin1'), contentType: 'application/json; charset=iso-8859-1' },
      { label: 'bad utf8', bytes: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), contentType: 'application/json' },
      { label: 'no type', bytes: Buffer.from('{"type":"message","text":"hi"}') },
      { label: 'bad json', bytes: Buffer.from('{"type":"message",'), contentType: 'application/json' },
      { label: 'lying length', bytes: Buffer.from('{}'), contentType: 'application/json' },
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .uint8Array({ maxLength: 2000 })
      .chain((bytes) => fc.string({ maxLength: 30 }).map((type) => ({ label: 'random bytes', bytes: Buffer.from(bytes), contentType: type.replace(/[\r\n]/g, '') }))),
  },
);

const methods = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('GET', 'POST') },
  { weight: 2, arbitrary: fc.constantFrom('PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'CONNECT') },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Z]{1,10}$/) },
);

/** Plain requests over every route: methods, targets, credentials, bodies, encodings and types mixed at random. */
function httpCases(ctx: FuzzContext): fc.Arbitrary<FuzzCase> {
  return fc
    .record({
      method: methods,
      path: paths(ctx),
      auth: authorizations(ctx),
      body: bodies,
      staff: fc.boolean(),
      origin: fc.constantFrom(undefined, 'https://evil.example', 'null'),
    })
    .map(({ method, path, auth, body, staff, origin }) => {
      const headers: Array<[string, string]> = [];
      if (auth.header !== undefined) headers.push(['Authorization', auth.header]);
      if (body.contentType) headers.push(['Content-Type', body.contentType]);
      if (body.contentEncoding) headers.push(['Content-Encoding', body.contentEncoding]);
      if (staff) headers.push(['Cookie', ctx.staffCookie], ['X-CSRF-Token', ctx.csrfToken]);
      if (origin) headers.push(['Origin', origin]);
      if (body.label === 'lying length') headers.push(['Content-Length', '5000']);
      return {
        label: `${method} ${path.slice(0, 60)} [${body.label}]`,
        request: { method, target: path, headers, halfClose: body.label === 'lying length', ...(body.bytes ? { body: body.bytes } : {}) },
        entitledToA: auth.entitledToA || staff,
        mayReset: body.mayReset === true || body.label === 'lying length',
      };
    });
}

/** Well-formed traffic of a real client (own token, own conversation), racing with everything else. */
function wellFormedCases(ctx: FuzzContext): fc.Arbitrary<FuzzCase> {
  return fc
    .record({
      own: fc.constantFrom<[string, string, string]>(['A', ctx.conversationA, ctx.tokenA], ['B', ctx.conversationB, ctx.tokenB]),
      post: fc.boolean(),
      text: fc.oneof(fc.constantFrom('我想关闭速卖通店铺', '菜单', 'help', '转人工', '取消'), fc.string({ minLength: 1, maxLength: 30 })),
    })
    .map(({ own: [name, conversation, token], post, text }) => ({
      label: `${post ? 'POST' : 'GET'} own activities of ${name}`,
      request: {
        method: post ? 'POST' : 'GET',
        target: `/v3/directline/conversations/${conversation}/activities`,
        headers: [['Authorization', `Bearer ${token}`], ...(post ? ([['Content-Type', 'application/json']] as Array<[string, string]>) : [])],
        ...(post ? { body: Buffer.from(JSON.stringify({ type: 'message', text, from: { id: 'ignored' } })) } : {}),
      },
      entitledToA: name === 'A',
      mayReset: false,
    }));
}

/** WebSocket handshakes to every kind of path, including the odd ones that used to crash the process. */
function upgradeCases(ctx: FuzzContext): fc.Arbitrary<FuzzCase> {
  return fc.record({ path: paths(ctx), version: fc.constantFrom('13', '8', ''), staff: fc.boolean() }).map(({ path, version, staff }) => ({
    label: `UPGRADE ${path.slice(0, 60)}`,
    request: {
      method: 'GET',
      target: path,
      headers: [
        ['Upgrade', 'websocket'],
        ['Connection', 'Upgrade'],
        ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='],
        ['Sec-WebSocket-Version', version],
        ...(staff ? ([['Cookie', ctx.staffCookie]] as Array<[string, string]>) : []),
      ],
    },
    entitledToA: staff,
    mayReset: false,
  }));
}

/** Bytes that are not quite HTTP: bad request lines, bad headers, smuggling attempts. */
const malformedCases: fc.Arbitrary<FuzzCase> = fc
  .constantFrom(
    'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n',
    'GARBAGE\r\n\r\n',
    'GET /healthz HTTP/9.9\r\n\r\n',
    'POST /api/messages HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    'POST /api/messages HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n',
    'GET /\x00 HTTP/1.1\r\nHost: a\r\n\r\n',
    `GET / HTTP/1.1\r\nHost: a\r\nX: ${'a'.repeat(20_000)}\r\n\r\n`,
    'GET / HTTP/1.1\r\nHost: a\r\nBad Header\r\n\r\n',
  )
  .map((wire) => ({
    label: `RAW ${JSON.stringify(wire.slice(0, 40))}`,
    request: { method: '', target: '', headers: [], wire: Buffer.from(wire, 'latin1'), halfClose: true },
    entitledToA: false,
    mayReset: true,
  }));

/** The whole mix, weighted towards plain requests. */
export function fuzzCases(ctx: FuzzContext): fc.Arbitrary<FuzzCase> {
  return fc.oneof(
    { weight: 14, arbitrary: httpCases(ctx) },
    { weight: 4, arbitrary: wellFormedCases(ctx) },
    { weight: 3, arbitrary: upgradeCases(ctx) },
    { weight: 1, arbitrary: malformedCases },
  );
}
