import type { TurnContext } from 'botbuilder';
import { translate, type DialogServices } from '../shared/dialog-services.js';
import { officeHoursText } from './office-hours-text.js';

/** The "call the consultant" line from configuration, or nothing when no phone line is configured. */
export function consultantPhoneLine(services: DialogServices, context: TurnContext): string[] {
  const { CONSULTANT_PHONE, CONSULTANT_NAME, OFFICE_HOURS } = services.config;
  if (!CONSULTANT_PHONE) return [];
  const t = translate(services, context);
  return [
    t('escalation:phone_line', {
      name: CONSULTANT_NAME || t('escalation:consultant_default_name'),
      phone: CONSULTANT_PHONE,
      hours: officeHoursText(OFFICE_HOURS, t),
    }),
  ];
}
