import { ConfigError, loadConfig, type Config } from '../config.js';

/** For command-line entry points: the configuration, or exit 78 (EX_CONFIG) naming every bad variable. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
}
