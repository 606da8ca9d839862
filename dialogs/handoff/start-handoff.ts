import { EventFactory, type TurnContext } from 'botbuilder';
import type { CaseSummary } from '../../src/handoff/case-summary.js';
import { loadProfile, translate, turnLocale, type DialogServices } from '../shared/dialog-services.js';
import { sendTexts } from '../shared/replies.js';
import { consultantPhoneLine } from './consultant-contact.js';

/** Why the seller is handed to a human. */
export type HandoffReason = CaseSummary['reason'];

/**
 * Emits the Bot Framework handoff initiation with the case summary and tells the seller what happens
 * next (and, when configured, how to call the consultant). A seller already queued is only reminded.
 */
export async function startHandoff(services: DialogServices, context: TurnContext, reason: HandoffReason): Promise<void> {
  const profile = await loadProfile(services, context);
  const t = translate(services, context);
  if (profile.handoff !== 'bot') {
    await sendTexts(context, [t('escalation:already_queued')]);
    return;
  }
  // The case card a consultant receives with `handoff.initiate`; its schema is the handoff module's (one contract).
  const summary: CaseSummary = {
    reason,
    locale: turnLocale(context),
    intents: [...profile.recognised],
    ...(profile.scenario ? { scenario: profile.scenario } : {}),
    ...(profile.step ? { step: profile.step } : {}),
    answers: { ...profile.answers },
  };
  await context.sendActivity(EventFactory.createHandoffInitiation(context, summary));
  profile.handoff = 'queued';
  profile.misses = 0;
  await sendTexts(context, [t('escalation:initiated'), ...consultantPhoneLine(services, context)]);
}
