/** Parsed `OFFICE_HOURS` (see src/config.ts): a weekday range and a daily time window in a time zone. */
export interface OfficeHours {
  /** Whether consultants answer at `at`. */
  isOpen(at: Date): boolean;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/**
 * Builds {@link OfficeHours} from a spec like `1-5 09:00-18:00` (weekdays 1 = Monday .. 7 = Sunday; a range such as
 * `6-2` wraps over the week end; `24:00` ends at midnight) read in the IANA `timeZone`.
 * The spec was validated by the config schema; a malformed one throws.
 */
export function parseOfficeHours(spec: string, timeZone: string): OfficeHours {
  const match = /^([1-7])-([1-7]) (\d\d):(\d\d)-(\d\d):(\d\d)$/.exec(spec);
  if (!match) throw new Error(`parseOfficeHours(): invalid spec "${spec}"`);
  const [firstDay, lastDay, startH, startM, endH, endM] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const start = startH * 60 + startM;
  const end = endH * 60 + endM;
  const format = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const dayInRange = (day: number): boolean =>
    firstDay <= lastDay ? day >= firstDay && day <= lastDay : day >= firstDay || day <= lastDay;
  return {
    isOpen(at: Date): boolean {
      const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
      const day = WEEKDAYS[parts.weekday ?? ''] ?? 0;
      const minutes = Number(parts.hour) * 60 + Number(parts.minute);
      return dayInRange(day) && minutes >= start && minutes < end;
    },
  };
}
