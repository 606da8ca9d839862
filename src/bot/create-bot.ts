import type { ConversationState, UserState } from 'botbuilder';
import { RootDialog } from '../../dialogs/root/root.dialog.js';
import { PhraseMatcher } from '../../dialogs/shared/phrase-matcher.js';
import { SubjectSpotter } from '../../dialogs/shared/subject-spotter.js';
import { SELLER_PROFILE_PROPERTY, type SellerProfile } from '../../dialogs/shared/seller-profile.js';
import type { Config } from '../config.js';
import type { Translator } from '../i18n/create-i18n.js';
import type { LocaleResources } from '../i18n/load-locales.js';
import type { Knowledge } from '../knowledge/knowledge-schema.js';
import type { Logger } from '../logger.js';
import { FactFinder } from '../knowledge/fact-finder.js';
import type { CueReader } from '../nlu/cues.js';
import type { Recognizer } from '../nlu/recognizer.js';
import { CustomerServiceBot } from './customer-service.bot.js';

/** Collaborators of the bot, built by the composition root. */
export interface BotDependencies {
  readonly config: Config;
  readonly translator: Translator;
  readonly resources: LocaleResources;
  readonly knowledge: Knowledge;
  readonly recognizer: Recognizer;
  readonly cues: CueReader;
  readonly conversationState: ConversationState;
  readonly userState: UserState;
  readonly logger: Logger;
}

/** Builds the bot with its dialog tree. */
export function createBot(deps: BotDependencies): CustomerServiceBot {
  const root = new RootDialog({
    config: deps.config,
    knowledge: deps.knowledge,
    translator: deps.translator,
    recognizer: deps.recognizer,
    cues: deps.cues,
    facts: new FactFinder(deps.knowledge),
    subjects: new SubjectSpotter(deps.resources),
    phrases: new PhraseMatcher(deps.resources),
    profile: deps.conversationState.createProperty<SellerProfile>(SELLER_PROFILE_PROPERTY),
  });
  return new CustomerServiceBot(deps.conversationState, deps.userState, root);
}
