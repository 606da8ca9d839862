import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { ROOT_DIR } from '../app.js';
import { loadConfigOrExit } from '../cli/load-config-or-exit.js';
import { createTranslator } from '../i18n/create-i18n.js';
import { loadLocaleResources } from '../i18n/load-locales.js';
import { createLogger } from '../logger.js';
import type { Config } from '../config.js';
import { createSqliteStores } from '../storage/create-sqlite-stores.js';
import { pgStoresOptions } from '../storage/postgres/create-pg-stores.js';
import { PgDatabase } from '../storage/postgres/pg-database.js';
import { PgStaffUserRepository } from '../storage/postgres/pg-staff-user.repository.js';
import type { StaffUserRepository } from './ports.js';
import { runStaffCommand, type StaffCommandIo } from './staff-command.js';

/** Reads one line: hidden keystrokes on a terminal, the next piped line otherwise. */
function lineReader(): { readSecret(prompt: string): Promise<string>; close(): void } {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    const rl = createInterface({ input: stdin, terminal: false });
    const lines: string[] = [];
    const waiting: Array<(line: string) => void> = [];
    rl.on('line', (line) => (waiting.shift() ?? ((l: string) => lines.push(l)))(line));
    rl.on('close', () => waiting.splice(0).forEach((resolve) => resolve('')));
    return {
      readSecret: () => new Promise((resolve) => (lines.length > 0 ? resolve(lines.shift()!) : waiting.push(resolve))),
      close: () => rl.close(),
    };
  }
  return {
    readSecret: (prompt) =>
      new Promise((resolve) => {
        process.stdout.write(prompt);
        stdin.setRawMode(true);
        stdin.resume();
        let value = '';
        const onData = (chunk: Buffer): void => {
          for (const char of chunk.toString('utf8')) {
            if (char === '\r' || char === '\n') {
              stdin.off('data', onData);
              stdin.setRawMode(false);
              stdin.pause();
              process.stdout.write('\n');
              resolve(value);
              return;
            }
            if (char === '\u0003') process.exit(130); // Ctrl-C
            if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
            else value += char;
          }
        };
        stdin.on('data', onData);
      }),
    close: () => undefined,
  };
}

/** `npm run staff -- add <name>`: manages console staff in the SQLite database of DATA_DIR. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const t = createTranslator(loadLocaleResources(join(ROOT_DIR, 'locales'))).forLocale(config.DEFAULT_LOCALE);
  if (config.STORAGE === 'memory') {
    process.stderr.write(`${t('console:cli.needsSqlite')}\n`);
    process.exit(78);
  }
  const stores = await openStaffStore(config);
  const reader = lineReader();
  const io: StaffCommandIo = {
    interactive: process.stdin.isTTY === true,
    readSecret: (prompt) => reader.readSecret(prompt),
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  };
  try {
    process.exitCode = await runStaffCommand(process.argv.slice(2), stores.staff, io, t);
  } finally {
    reader.close();
    await stores.close();
  }
}

/** The staff accounts of the configured durable storage, beside a server that may be running on it. */
async function openStaffStore(config: Config): Promise<{ staff: StaffUserRepository; close(): void | Promise<void> }> {
  if (config.STORAGE === 'postgres') {
    const database = await PgDatabase.open({ ...pgStoresOptions(config), poolMax: 1, logger: createLogger('warn') });
    return { staff: new PgStaffUserRepository(database.pool), close: () => database.close() };
  }
  // No transcript recovery here: a server may be running on the same database.
  const stores = createSqliteStores(config.DATA_DIR, createLogger('warn'), { recoverTranscripts: false });
  return { staff: stores.console.staff, close: () => stores.close() };
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
