import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config.js';
import { createTranslator, type TFunction } from '../i18n/create-i18n.js';
import { loadLocaleResources } from '../i18n/load-locales.js';
import { findRootDir } from '../root-dir.js';
import { loadConfigOrExit } from './load-config-or-exit.js';

/** What the data commands (backup, restore, seller-data) start from: the configuration and the operator's texts. */
export interface OperatorContext {
  readonly config: Config;
  readonly t: TFunction;
}

/**
 * Loads the configuration and the DEFAULT_LOCALE texts; exits 78 unless STORAGE is sqlite, or also postgres for a
 * command that works on PostgreSQL (`postgres: true`).
 */
export function operatorContext(options: { readonly postgres?: boolean } = {}): OperatorContext {
  const config = loadConfigOrExit();
  const t = createTranslator(loadLocaleResources(join(findRootDir(dirname(fileURLToPath(import.meta.url))), 'locales'))).forLocale(config.DEFAULT_LOCALE);
  const supported = config.STORAGE === 'sqlite' || (options.postgres === true && config.STORAGE === 'postgres');
  if (!supported) {
    process.stderr.write(`${t(options.postgres === true ? 'console:data.needsDatabase' : 'console:data.needsSqlite')}\n`);
    process.exit(78);
  }
  return { config, t };
}

/** Runs a command's main, printing an unexpected error's stack and exiting 1. */
export function runMain(main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
