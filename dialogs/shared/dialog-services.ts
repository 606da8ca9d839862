import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { Config } from '../../src/config.js';
import type { TFunction, Translator } from '../../src/i18n/create-i18n.js';
import { PRIMARY_LOCALE, type SupportedLocale } from '../../src/i18n/supported-locales.js';
import type { Knowledge } from '../../src/knowledge/knowledge-schema.js';
import type { FactFinder } from '../../src/knowledge/fact-finder.js';
import type { CueReader, Cues } from '../../src/nlu/cues.js';
import type { Recognizer } from '../../src/nlu/recognizer.js';
import type { PhraseMatcher } from './phrase-matcher.js';
import type { SubjectSpotter } from './subject-spotter.js';
import { newSellerProfile, type SellerProfile } from './seller-profile.js';

const TURN_LOCALE = Symbol('sellerLocale');
const TURN_CUES = Symbol('sellerCues');

/** Everything the dialogs need, handed in by the bot through constructors. */
export interface DialogServices {
  readonly config: Config;
  readonly knowledge: Knowledge;
  readonly translator: Translator;
  readonly recognizer: Recognizer;
  /** Aspects asked, facts stated, yes/no answers, upset sellers: read beside the intent. */
  readonly cues: CueReader;
  readonly facts: FactFinder;
  readonly subjects: SubjectSpotter;
  readonly phrases: PhraseMatcher;
  readonly profile: StatePropertyAccessor<SellerProfile>;
}

/** Fixes the language of this turn's replies (decided once per turn by the root dialog). */
export function setTurnLocale(context: TurnContext, locale: SupportedLocale): void {
  context.turnState.set(TURN_LOCALE, locale);
}

export function turnLocale(context: TurnContext): SupportedLocale {
  return (context.turnState.get(TURN_LOCALE) as SupportedLocale | undefined) ?? PRIMARY_LOCALE;
}

/** `t` in the language of this turn. */
export function translate(services: DialogServices, context: TurnContext): TFunction {
  return services.translator.forLocale(turnLocale(context));
}

/** The seller profile of this conversation, created on first use. */
export function loadProfile(services: DialogServices, context: TurnContext): Promise<SellerProfile> {
  return services.profile.get(context, newSellerProfile());
}

/** The cues of this turn's message, read once per turn (the router and the scenario both use them). */
export function turnCues(services: DialogServices, context: TurnContext): Cues {
  let cues = context.turnState.get(TURN_CUES) as Cues | undefined;
  if (!cues) {
    cues = services.cues.read(context.activity.text ?? '', turnLocale(context));
    context.turnState.set(TURN_CUES, cues);
  }
  return cues;
}
