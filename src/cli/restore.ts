import { BackupError, restoreDatabase } from '../storage/sqlite-backup.js';
import { operatorContext, runMain } from './operator-cli.js';

/** `npm run restore -- <file>`: replaces DATA_DIR's database with a backup; refuses while a server uses it. */
runMain(async () => {
  const { config, t } = operatorContext();
  const [source, ...rest] = process.argv.slice(2);
  if (!source || rest.length > 0 || source.startsWith('-')) {
    process.stderr.write(`${t('console:data.restoreUsage')}\n`);
    return 64;
  }
  try {
    const report = restoreDatabase(config.DATA_DIR, source);
    process.stdout.write(`${t('console:data.restoreDone', { ...report })}\n`);
    if (report.previous) process.stdout.write(`${t('console:data.restorePrevious', { previous: report.previous })}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof BackupError)) throw error;
    process.stderr.write(`${t(`console:data.errors.${error.code}`, { path: error.path })}\n`);
    return 1;
  }
});
