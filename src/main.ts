import { buildApp } from './app.js';
import { loadConfigOrExit } from './cli/load-config-or-exit.js';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await buildApp(config);
  const port = await app.listen();
  app.logger.info({ port }, `listening on http://localhost:${port}/`);
  const stop = (signal: string): void => {
    app.logger.info({ signal }, 'shutting down');
    void app.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`start-up failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
