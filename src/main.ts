import { ConfigError, loadConfig } from './config.js';
import { buildApp } from './app.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
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
