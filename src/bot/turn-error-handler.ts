import { ActivityTypes, type ConversationState, type TurnContext } from 'botbuilder';
import type { Translator } from '../i18n/create-i18n.js';
import { toSupportedLocale } from '../i18n/supported-locales.js';
import type { Logger } from '../logger.js';

/**
 * Last line of defence for a turn: log the error with the dialog stack, apologise to the seller in
 * their language, and drop the conversation state so the next message starts cleanly.
 */
export function createTurnErrorHandler(
  logger: Logger,
  translator: Translator,
  conversationState: ConversationState,
): (context: TurnContext, error: Error) => Promise<void> {
  return async (context, error) => {
    const state = conversationState.get(context) as { dialogState?: unknown } | undefined;
    logger.error(
      { err: error, conversation: context.activity.conversation?.id, dialogStack: state?.dialogState },
      'onTurnError(): unhandled error in turn',
    );
    try {
      const t = translator.forLocale(toSupportedLocale(context.activity.locale));
      if (context.activity.type === ActivityTypes.Message) await context.sendActivity(t('common:error'));
    } catch (sendError) {
      logger.warn({ err: sendError }, 'onTurnError(): could not send the apology');
    }
    await conversationState.delete(context).catch(() => undefined);
  };
}
