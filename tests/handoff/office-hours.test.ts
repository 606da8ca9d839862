import { describe, expect, it } from 'vitest';
import { parseOfficeHours } from '../../src/handoff/office-hours.js';

describe('parseOfficeHours()', () => {
  // 2026-11-26 is a Thursday. Asia/Shanghai is UTC+8 all year.
  const weekdays = parseOfficeHours('1-5 09:00-18:00', 'Asia/Shanghai');

  it.each([
    ['2026-11-26T01:00:00Z', true], // Thu 09:00 Shanghai
    ['2026-11-26T00:59:00Z', false], // Thu 08:59
    ['2026-11-26T09:59:00Z', true], // Thu 17:59
    ['2026-11-26T10:00:00Z', false], // Thu 18:00 (end is exclusive)
    ['2026-11-28T03:00:00Z', false], // Sat 11:00
    ['2026-11-29T16:30:00Z', false], // Sun 16:30 UTC is Mon 00:30 in Shanghai: right day, too early
    ['2026-11-30T01:30:00Z', true], // Mon 09:30
  ])('%s open=%s', (iso, open) => {
    expect(weekdays.isOpen(new Date(iso))).toBe(open);
  });

  it('accepts 24:00 as the end of the day', () => {
    const always = parseOfficeHours('1-7 00:00-24:00', 'Asia/Shanghai');
    expect(always.isOpen(new Date('2026-11-26T15:59:59Z'))).toBe(true); // 23:59:59
    expect(always.isOpen(new Date('2026-11-26T16:00:00Z'))).toBe(true); // 00:00 next day
  });

  it('wraps a weekday range over the week end', () => {
    const weekend = parseOfficeHours('6-1 10:00-12:00', 'UTC');
    expect(weekend.isOpen(new Date('2026-11-28T11:00:00Z'))).toBe(true); // Sat
    expect(weekend.isOpen(new Date('2026-11-30T11:00:00Z'))).toBe(true); // Mon
    expect(weekend.isOpen(new Date('2026-12-01T11:00:00Z'))).toBe(false); // Tue
  });

  it('rejects a malformed spec', () => {
    expect(() => parseOfficeHours('weekdays', 'UTC')).toThrow(/invalid spec/);
  });
});
