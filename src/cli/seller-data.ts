import { userInfo } from 'node:os';
import { pino } from 'pino';
import type { Config } from '../config.js';
import { createLogger, type Logger } from '../logger.js';
import { runSellerDataCommand } from '../privacy/seller-data-command.js';
import { createSqliteStores } from '../storage/create-sqlite-stores.js';
import { createPgStores, pgStoresOptions } from '../storage/postgres/create-pg-stores.js';
import type { Stores } from '../storage/stores.js';
import { operatorContext, runMain } from './operator-cli.js';

/** `npm run seller-data -- export|delete …`: one seller's data in the configured database, beside running servers or not. */
runMain(async () => {
  const { config, t } = operatorContext({ postgres: true });
  // Audit lines go to stderr, so that stdout carries only the export.
  const logger = createLogger(config.LOG_LEVEL, pino.destination(2));
  const stores = await openStores(config, logger);
  try {
    return await runSellerDataCommand(process.argv.slice(2), {
      store: stores.sellerData,
      io: { out: (text) => process.stdout.write(text), err: (line) => process.stderr.write(`${line}\n`) },
      t,
      logger,
      actor: `cli:${userInfo().username}`,
    });
  } finally {
    await stores.close();
  }
});

/** No transcript recovery here: servers may be running on the same database. */
async function openStores(config: Config, logger: Logger): Promise<Stores> {
  if (config.STORAGE === 'postgres') return createPgStores({ ...pgStoresOptions(config), poolMax: 2, recoverTranscripts: false }, logger);
  return createSqliteStores(config.DATA_DIR, logger, { recoverTranscripts: false });
}
