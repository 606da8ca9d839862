import { ConversationState, MemoryStorage, UserState, type Middleware, type Storage } from 'botbuilder';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type restify from 'restify';
import type { Config } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { loadLocaleResources } from './i18n/load-locales.js';
import { createTranslator } from './i18n/create-i18n.js';
import { KeywordRecognizer } from './nlu/keyword-recognizer.js';
import { createBot } from './bot/create-bot.js';
import { createTurnErrorHandler } from './bot/turn-error-handler.js';
import { loadKnowledge } from './knowledge/load-knowledge.js';
import { createServer } from './server/create-server.js';
import { registerBotFrameworkRoutes } from './server/bot-framework.routes.js';
import { DirectLineChannel } from './channels/directline/directline-channel.js';
import { MemoryConversationStore } from './channels/directline/memory-conversation-store.js';
import { resolveChannelSecret } from './channels/directline/channel-secret.js';
import type { ConversationGateway } from './channels/conversation-gateway.js';
import { registerDirectLineRoutes } from './server/directline.routes.js';
import { registerWidgetRoutes } from './server/widget.routes.js';

/** Repository root (the folder holding locales/, content/, public/). */
export const ROOT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface App {
  readonly server: restify.Server;
  readonly logger: Logger;
  /** Pushes activities and events into live web-chat conversations (handoff, console). */
  readonly gateway: ConversationGateway;
  /** Starts listening; resolves with the bound port (use PORT=0 in tests). */
  listen(): Promise<number>;
  /** Stops accepting connections and closes storage. */
  close(): Promise<void>;
}

export interface AppOverrides {
  readonly logger?: Logger;
  /** Another content file (tests of broken content). */
  readonly knowledgeFile?: string;
}

/**
 * The composition root: builds every part from the configuration and wires them together.
 * `main.ts` and the end-to-end tests both start the product through here.
 */
export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const logger = overrides.logger ?? createLogger(config.LOG_LEVEL);
  const resources = loadLocaleResources(join(ROOT_DIR, 'locales'));
  const translator = createTranslator(resources);
  const knowledge = loadKnowledge(overrides.knowledgeFile ?? join(ROOT_DIR, 'content', 'knowledge.json'), resources);
  const recognizer = new KeywordRecognizer();
  const storage: Storage = new MemoryStorage();
  const conversationState = new ConversationState(storage);
  const userState = new UserState(storage);
  const bot = createBot({ config, translator, resources, knowledge, recognizer, conversationState, userState, logger });
  const onTurnError = createTurnErrorHandler(logger, translator, conversationState);

  // One middleware list for both ways in (/api/messages and the Direct Line channel); complete it before use.
  const middleware: Middleware[] = [];

  const server = createServer(logger);
  registerBotFrameworkRoutes(server, config, bot, middleware, onTurnError, logger);

  const directLine = new DirectLineChannel({
    bot,
    middleware,
    onTurnError,
    store: new MemoryConversationStore(),
    config,
    logger,
    secret: resolveChannelSecret(config.DIRECTLINE_SECRET, config.DATA_DIR),
  });
  const directLineRoutes = registerDirectLineRoutes(server, directLine, config, logger);
  registerWidgetRoutes(server, directLine, config, translator, logger, { rootDir: ROOT_DIR });

  return {
    server,
    logger,
    gateway: directLine,
    listen: () =>
      new Promise((resolve) => {
        server.listen(config.PORT, config.HOST, () => resolve(server.address().port));
      }),
    close: async () => {
      await directLineRoutes.close();
      await directLine.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
