import { MemoryStorage } from 'botbuilder';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { ROOT_DIR } from '../app.js';
import { createBotRuntime } from '../bot/bot-runtime.js';
import { toSupportedLocale } from '../i18n/supported-locales.js';
import { createLogger } from '../logger.js';
import { createRecognizer } from '../nlu/create-recognizer.js';
import { loadConfigOrExit } from './load-config-or-exit.js';
import { TerminalAdapter } from './terminal-adapter.js';

/**
 * `npm run chat [-- --locale en]`: the same bot in the terminal. Reads one seller message per line
 * (interactive or piped), prints replies as plain text with numbered buttons, exits at end of input.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { locale: { type: 'string' } } });
  const config = loadConfigOrExit();
  const logger = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
  const runtime = createBotRuntime({
    config,
    logger,
    storage: new MemoryStorage(),
    recognizer: createRecognizer(ROOT_DIR),
    rootDir: ROOT_DIR,
  });
  const locale = toSupportedLocale(values.locale, config.DEFAULT_LOCALE);
  const interactive = process.stdin.isTTY === true;
  const adapter = new TerminalAdapter(locale, (text) => process.stdout.write(`${interactive ? '\n' : ''}${text}\n`));
  adapter.onTurnError = runtime.onTurnError;
  const logic = (context: Parameters<typeof runtime.bot.run>[0]): Promise<void> => runtime.bot.run(context);

  await adapter.start(logic);
  const lines = createInterface({ input: process.stdin, terminal: interactive, prompt: '> ' });
  if (interactive) lines.prompt();
  for await (const line of lines) {
    if (line.trim().length > 0) {
      if (!interactive) process.stdout.write(`\n> ${line}\n`);
      await adapter.say(line, logic);
    }
    if (interactive) lines.prompt();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`chat failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
