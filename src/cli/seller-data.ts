import { userInfo } from 'node:os';
import { pino } from 'pino';
import { createLogger } from '../logger.js';
import { runSellerDataCommand } from '../privacy/seller-data-command.js';
import { createSqliteStores } from '../storage/create-sqlite-stores.js';
import { operatorContext, runMain } from './operator-cli.js';

/** `npm run seller-data -- export|delete …`: one seller's data in DATA_DIR's database, beside a running server or not. */
runMain(async () => {
  const { config, t } = operatorContext();
  // Audit lines go to stderr, so that stdout carries only the export.
  const logger = createLogger(config.LOG_LEVEL, pino.destination(2));
  // No transcript recovery here: a server may be running on the same database.
  const stores = createSqliteStores(config.DATA_DIR, logger, { recoverTranscripts: false });
  try {
    return await runSellerDataCommand(process.argv.slice(2), {
      store: stores.sellerData,
      io: { out: (text) => process.stdout.write(text), err: (line) => process.stderr.write(`${line}\n`) },
      t,
      logger,
      actor: `cli:${userInfo().username}`,
    });
  } finally {
    stores.close();
  }
});
