import { ActivityHandler, type ConversationState, type UserState } from 'botbuilder';
import type { Config } from '../config.js';
import type { Translator } from '../i18n/create-i18n.js';
import type { Logger } from '../logger.js';
import type { Recognizer } from '../nlu/recognizer.js';

/** Collaborators of the bot, built by the composition root. */
export interface BotDependencies {
  readonly config: Config;
  readonly translator: Translator;
  readonly recognizer: Recognizer;
  readonly conversationState: ConversationState;
  readonly userState: UserState;
  readonly logger: Logger;
}

/** PLACEHOLDER until the dialog tree lands (issue 2): echoes. */
export function createBot(_deps: BotDependencies): ActivityHandler {
  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
    await next();
  });
  return bot;
}
