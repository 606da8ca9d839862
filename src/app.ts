import { ConversationState, MemoryStorage, UserState, type Storage, type TurnContext } from 'botbuilder';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type restify from 'restify';
import type { Config } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { loadLocaleResources } from './i18n/load-locales.js';
import { createTranslator } from './i18n/create-i18n.js';
import { KeywordRecognizer } from './nlu/keyword-recognizer.js';
import { createBot } from './bot/create-bot.js';
import { createServer } from './server/create-server.js';
import { registerBotFrameworkRoutes } from './server/bot-framework.routes.js';

/** Repository root (the folder holding locales/, content/, public/). */
export const ROOT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface App {
  readonly server: restify.Server;
  readonly logger: Logger;
  /** Starts listening; resolves with the bound port (use PORT=0 in tests). */
  listen(): Promise<number>;
  /** Stops accepting connections and closes storage. */
  close(): Promise<void>;
}

export interface AppOverrides {
  readonly logger?: Logger;
}

/**
 * The composition root: builds every part from the configuration and wires them together.
 * `main.ts` and the end-to-end tests both start the product through here.
 */
export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const logger = overrides.logger ?? createLogger(config.LOG_LEVEL);
  const translator = createTranslator(loadLocaleResources(join(ROOT_DIR, 'locales')));
  const recognizer = new KeywordRecognizer();
  const storage: Storage = new MemoryStorage();
  const conversationState = new ConversationState(storage);
  const userState = new UserState(storage);
  const bot = createBot({ config, translator, recognizer, conversationState, userState, logger });

  const onTurnError = async (context: TurnContext, error: Error): Promise<void> => {
    logger.error({ err: error, conversation: context.activity.conversation?.id }, 'onTurnError(): unhandled error in turn');
    await conversationState.delete(context).catch(() => undefined);
  };

  const server = createServer(logger);
  registerBotFrameworkRoutes(server, config, bot, [], onTurnError, logger);

  return {
    server,
    logger,
    listen: () =>
      new Promise((resolve) => {
        server.listen(config.PORT, config.HOST, () => resolve(server.address().port));
      }),
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
