import { MemoryTranscriptStore } from 'botbuilder';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { TranscriptStoreReader } from '../../src/bot/handoff-transcript.js';
import { createInMemoryConsoleRepositories } from '../../src/console/in-memory.repositories.js';
import type { ConsoleRepositories } from '../../src/console/ports.js';
import { createStaffUser } from '../../src/console/staff-accounts.js';
import { parseConfig, type Config } from '../../src/config.js';
import { createTranslator } from '../../src/i18n/create-i18n.js';
import { loadLocaleResources } from '../../src/i18n/load-locales.js';
import { createLogger } from '../../src/logger.js';
import { HandoffService } from '../../src/handoff/handoff-service.js';
import { createInMemoryHandoffRepositories } from '../../src/handoff/in-memory.repositories.js';
import { LiveHub } from '../../src/handoff/live-events.js';
import type { HandoffRepositories } from '../../src/handoff/ports.js';
import { createServer } from '../../src/server/create-server.js';
import { mountConsole } from '../../src/server/console.module.js';
import { createMemoryStores } from '../../src/storage/create-memory-stores.js';
import { RecordingSellerChannel } from '../handoff/fake-seller-channel.js';

const ROOT = join(import.meta.dirname, '../..');

/** A real restify server on a free port with only the console mounted, over in-memory repositories. */
export interface ConsoleHarness {
  readonly base: string;
  readonly config: Config;
  readonly handoff: HandoffService;
  readonly channel: RecordingSellerChannel;
  readonly repositories: HandoffRepositories;
  readonly consoleRepositories: ConsoleRepositories;
  readonly transcripts: MemoryTranscriptStore;
  close(): Promise<void>;
}

export async function startConsoleHarness(env: Record<string, string> = {}): Promise<ConsoleHarness> {
  const config = parseConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', CONSOLE_ADMIN_USER: 'admin', CONSOLE_ADMIN_PASSWORD: 'admin-password-1', ...env });
  const logger = createLogger('silent');
  const translator = createTranslator(loadLocaleResources(join(ROOT, 'locales')));
  const repositories = createInMemoryHandoffRepositories();
  const consoleRepositories = createInMemoryConsoleRepositories();
  const channel = new RecordingSellerChannel();
  const live = new LiveHub();
  const handoff = new HandoffService({
    repositories,
    channel,
    live,
    officeHours: { isOpen: () => true },
    maxWaitSeconds: 300,
    onError: () => undefined,
  });
  const transcripts = new MemoryTranscriptStore();
  const server = createServer(logger);
  const mounted = await mountConsole(server, {
    config,
    handoff,
    live,
    handoffRepositories: repositories,
    consoleRepositories,
    transcripts: new TranscriptStoreReader(transcripts),
    // Seller-data export and erasure are tested on the whole app (tests/privacy/seller-data-routes.test.ts).
    sellerData: createMemoryStores(logger).sellerData,
    translator,
    logger,
    publicDir: join(ROOT, 'public', 'console'),
  });
  // After mounting: the first administrator is only created while no staff exist.
  await createStaffUser(consoleRepositories.staff, { username: 'bob', password: 'bob-password-1', displayName: 'Bob' });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}`,
    config,
    handoff,
    channel,
    repositories,
    consoleRepositories,
    transcripts,
    close: async () => {
      mounted.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A signed-in staff client: cookie + CSRF token. */
export interface StaffClient {
  readonly cookie: string;
  readonly csrf: string;
  get(path: string): Promise<Response>;
  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
}

export async function signIn(base: string, username: string, password: string): Promise<StaffClient> {
  const res = await fetch(`${base}/api/console/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`signIn(): ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return {
    cookie,
    csrf: csrfToken,
    get: (path) => fetch(`${base}${path}`, { headers: { cookie } }),
    post: (path, body, headers = {}) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { cookie, 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken, ...headers },
        body: JSON.stringify(body ?? {}),
      }),
  };
}
