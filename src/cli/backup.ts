import { BackupError, backupDatabase } from '../storage/sqlite-backup.js';
import { operatorContext, runMain } from './operator-cli.js';

/** `npm run backup -- <file>`: a consistent copy of DATA_DIR's database, also while the server runs. */
runMain(async () => {
  const { config, t } = operatorContext();
  const [target, ...rest] = process.argv.slice(2);
  if (!target || rest.length > 0 || target.startsWith('-')) {
    process.stderr.write(`${t('console:data.backupUsage')}\n`);
    return 64;
  }
  try {
    const report = await backupDatabase(config.DATA_DIR, target);
    process.stdout.write(`${t('console:data.backupDone', { ...report })}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof BackupError)) throw error;
    process.stderr.write(`${t(`console:data.errors.${error.code}`, { path: error.path })}\n`);
    return 1;
  }
});
