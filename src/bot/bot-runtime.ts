import type { ConversationState, Storage, TurnContext } from 'botbuilder';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { createTranslator, type Translator } from '../i18n/create-i18n.js';
import { loadLocaleResources, type LocaleResources } from '../i18n/load-locales.js';
import type { Knowledge } from '../knowledge/knowledge-schema.js';
import { loadKnowledge } from '../knowledge/load-knowledge.js';
import type { Logger } from '../logger.js';
import type { CueReader } from '../nlu/cues.js';
import { createCueReader } from '../nlu/create-cue-reader.js';
import type { Recognizer } from '../nlu/recognizer.js';
import { createBot } from './create-bot.js';
import { JsonConversationState, JsonUserState } from './json-change-state.js';
import type { CustomerServiceBot } from './customer-service.bot.js';
import { createTurnErrorHandler } from './turn-error-handler.js';

export interface BotRuntimeOptions {
  readonly config: Config;
  readonly logger: Logger;
  /** Where conversation and user state live. */
  readonly storage: Storage;
  readonly recognizer: Recognizer;
  /** Reads aspects, stated facts and yes/no answers; built from the lexicon in locales/nlu when not given. */
  readonly cues?: CueReader;
  /** Repository root holding locales/ and content/. */
  readonly rootDir: string;
  /** Another content file instead of content/knowledge.json. */
  readonly knowledgeFile?: string;
}

/** The bot and what every channel needs around it. */
export interface BotRuntime {
  readonly bot: CustomerServiceBot;
  readonly translator: Translator;
  readonly resources: LocaleResources;
  readonly knowledge: Knowledge;
  readonly conversationState: ConversationState;
  readonly onTurnError: (context: TurnContext, error: Error) => Promise<void>;
}

/**
 * Loads texts and content (validated: broken files stop start-up) and builds the bot.
 * Shared by the server and the terminal chat so both run the same bot.
 */
export function createBotRuntime(options: BotRuntimeOptions): BotRuntime {
  const resources = loadLocaleResources(join(options.rootDir, 'locales'));
  const translator = createTranslator(resources);
  const knowledge = loadKnowledge(options.knowledgeFile ?? join(options.rootDir, 'content', 'knowledge.json'), resources);
  const conversationState = new JsonConversationState(options.storage);
  const userState = new JsonUserState(options.storage);
  const bot = createBot({
    config: options.config,
    translator,
    resources,
    knowledge,
    recognizer: options.recognizer,
    cues: options.cues ?? createCueReader(options.rootDir),
    conversationState,
    userState,
    logger: options.logger,
  });
  const onTurnError = createTurnErrorHandler(options.logger, translator, conversationState);
  return { bot, translator, resources, knowledge, conversationState, onTurnError };
}
