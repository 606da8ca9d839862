import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../../src/config.js';
import { buildApp, ROOT_DIR, type App } from '../../../src/app.js';

/** A running product on a free loopback port, with its own DATA_DIR. */
export interface TestServer {
  readonly app: App;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  /** `<base>/v3/directline` */
  readonly domain: string;
  readonly secret: string;
  readonly dataDir: string;
  close(): Promise<void>;
}

export const TEST_SECRET = 'test-secret-0123456789abcdef';

/** Starts the real app (buildApp) with in-memory storage; `env` overrides the defaults. */
export async function startTestServer(env: Record<string, string> = {}, dataDir?: string): Promise<TestServer> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'dl-test-'));
  const config = parseConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    DATA_DIR: dir,
    STORAGE: 'memory',
    DIRECTLINE_SECRET: TEST_SECRET,
    ...env,
  });
  const app = await buildApp(config);
  const port = await app.listen();
  const base = `http://127.0.0.1:${port}`;
  return {
    app,
    port,
    base,
    domain: `${base}/v3/directline`,
    secret: config.DIRECTLINE_SECRET,
    dataDir: dir,
    close: async () => {
      await app.close();
      if (!dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A string from `locales/<lng>/<ns>.json` by dotted key, so tests never hard-code user-facing text. */
export function localeText(lng: 'zh-CN' | 'en', ns: string, key: string): string {
  const json = JSON.parse(readFileSync(join(ROOT_DIR, 'locales', lng, `${ns}.json`), 'utf8')) as Record<string, unknown>;
  let node: unknown = json;
  for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  if (typeof node !== 'string') throw new Error(`localeText(): ${lng}/${ns}.json has no string at ${key}`);
  return node;
}

/** JSON request helper returning status, headers and parsed body (or text). */
export async function request(
  url: string,
  init: { method?: string; token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: any }> {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  let body: string | undefined = init.rawBody;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  } else if (body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(url, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, body: parsed };
}
