import type { TFunction } from '../../src/i18n/create-i18n.js';

/** "1-5 09:00-18:00" as the seller reads it, e.g. "Mon–Fri 09:00-18:00" (weekday names come from locales). */
export function officeHoursText(officeHours: string, t: TFunction): string {
  const [days = '', hours = ''] = officeHours.split(' ');
  const [from = 1, to = 7] = days.split('-').map(Number);
  const weekdays = t('common:weekdays', { returnObjects: true }) as unknown as string[];
  const dayText =
    from === 1 && to === 7
      ? t('common:every_day')
      : t('common:weekday_range', { from: weekdays[from - 1], to: weekdays[to - 1] });
  const hoursText = hours === '00:00-24:00' ? t('common:all_day') : hours;
  return `${dayText} ${hoursText}`;
}
