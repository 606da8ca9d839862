import { HandoffEventNames } from 'botbuilder';
import type { DialogContext } from 'botbuilder-dialogs';
import { z } from 'zod';
import { isServerEvent } from '../../src/handoff/server-event.js';
import { translate, type DialogServices } from '../shared/dialog-services.js';
import { sendTexts } from '../shared/replies.js';
import type { SellerProfile } from '../shared/seller-profile.js';
import { CALLBACK_DIALOG_ID } from './callback.dialog.js';
import { consultantPhoneLine } from './consultant-contact.js';
import { officeHoursText } from './office-hours-text.js';
import { RATING_DIALOG_ID } from './rating.dialog.js';

/** `handoff.status` values from the handoff module; anything else (and the same event from a seller) is ignored. */
const handoffStatusSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('accepted'), agentName: z.string().max(80).optional() }),
  z.object({ state: z.literal('failed'), reason: z.enum(['out_of_hours', 'no_agent']).optional() }),
  z.object({ state: z.literal('completed') }),
]);

/**
 * What the seller hears when the handoff changes: a consultant joined; nobody could (phone line and
 * a callback offer); or the consultant finished (the bot is back and asks for a rating). The callback
 * and rating dialogs go on top of whatever scenario was in progress, which resumes after them.
 */
export async function onHandoffStatus(services: DialogServices, dc: DialogContext, profile: SellerProfile): Promise<void> {
  const activity = dc.context.activity;
  // Only the server's own event counts: a seller can post an event of this name too (a fake "consultant joined").
  if (activity.name !== HandoffEventNames.HandoffStatus || !isServerEvent(dc.context)) return;
  const status = handoffStatusSchema.safeParse(activity.value);
  if (!status.success) return;
  const t = translate(services, dc.context);
  switch (status.data.state) {
    case 'accepted':
      profile.handoff = 'agent';
      await sendTexts(dc.context, [
        t('escalation:accepted', {
          name: status.data.agentName ?? (services.config.CONSULTANT_NAME || t('escalation:consultant_default_name')),
        }),
      ]);
      return;
    case 'failed': {
      profile.handoff = 'bot';
      const hours = officeHoursText(services.config.OFFICE_HOURS, t);
      const why =
        status.data.reason === 'out_of_hours' ? t('escalation:failed_out_of_hours', { hours }) : t('escalation:failed_no_agent');
      await sendTexts(dc.context, [why, ...consultantPhoneLine(services, dc.context)]);
      await dc.beginDialog(CALLBACK_DIALOG_ID);
      return;
    }
    case 'completed':
      profile.handoff = 'bot';
      await sendTexts(dc.context, [t('escalation:back_to_bot')]);
      await dc.beginDialog(RATING_DIALOG_ID);
      return;
  }
}
