import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startTestServer, type TestServer } from '../channels/helpers/test-server.js';

const PASSWORD = 'admin-password-1';

function signIn(server: TestServer, headers: Record<string, string> = {}) {
  return request(`${server.base}/api/console/login`, { body: { username: 'admin', password: PASSWORD }, headers });
}

function streamUrl(server: TestServer, headers: Record<string, string> = {}): Promise<string> {
  return request(`${server.domain}/conversations`, { method: 'POST', token: server.secret, headers }).then((r) => {
    expect(r.status).toBe(201);
    return String(r.body.streamUrl);
  });
}

describe('no proxy trusted, no PUBLIC_URL (the defaults)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ CONSOLE_ADMIN_PASSWORD: PASSWORD });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('ignores a client-sent X-Forwarded-Host in the console Origin check', async () => {
    const response = await signIn(server, { origin: 'https://evil.example', 'x-forwarded-host': 'evil.example' });
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ code: 'CSRF_REJECTED' });
  });

  it('accepts its own origin, and sets no Secure cookie over plain http even when the client claims https', async () => {
    const response = await signIn(server, { origin: server.base, 'x-forwarded-proto': 'https' });
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).not.toContain('Secure');
  });

  it('builds the stream URL from the request\'s own Host, never from X-Forwarded-Host / -Proto', async () => {
    const url = await streamUrl(server, { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' });
    expect(url.startsWith(`ws://127.0.0.1:${server.port}/v3/directline/conversations/`)).toBe(true);
  });
});

describe('behind one trusted TLS-terminating proxy (TRUSTED_PROXY_HOPS=1)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ CONSOLE_ADMIN_PASSWORD: PASSWORD, TRUSTED_PROXY_HOPS: '1' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('keeps the cookie Secure when the proxy says the browser used https', async () => {
    const response = await signIn(server, { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'bot.example.com', origin: 'https://bot.example.com' });
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toContain('; Secure');
  });

  it('uses the proxy\'s X-Forwarded-Host and -Proto for the stream URL', async () => {
    const url = await streamUrl(server, { 'x-forwarded-host': 'bot.example.com', 'x-forwarded-proto': 'https' });
    expect(url.startsWith('wss://bot.example.com/v3/directline/conversations/')).toBe(true);
  });

  it('still refuses a foreign Origin', async () => {
    const response = await signIn(server, { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'bot.example.com', origin: 'https://evil.example' });
    expect(response.status).toBe(403);
  });
});

describe('PUBLIC_URL=https://bot.example.com', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ CONSOLE_ADMIN_PASSWORD: PASSWORD, PUBLIC_URL: 'https://bot.example.com/' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('sets a Secure cookie although the proxy reached this server over plain http', async () => {
    const response = await signIn(server, { origin: 'https://bot.example.com' });
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toContain('; Secure');
  });

  it.each([
    ['the Host header\'s origin', (s: TestServer) => s.base],
    ['the public host over http', () => 'http://bot.example.com'],
    ['another site that sets X-Forwarded-Host', () => 'https://evil.example'],
  ])('refuses a sign-in from %s', async (_what, origin) => {
    const response = await signIn(server, { origin: origin(server), 'x-forwarded-host': 'evil.example' });
    expect(response.status).toBe(403);
  });

  it('builds every stream URL on the public origin', async () => {
    const url = await streamUrl(server, { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' });
    expect(url.startsWith('wss://bot.example.com/v3/directline/conversations/')).toBe(true);
  });
});
