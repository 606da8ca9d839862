/**
 * Masks the personal data sellers type into a chat: mainland mobile and landline numbers, Chinese resident ID
 * numbers, unified social credit codes, bank card numbers and e-mail addresses. Used on log lines, on the
 * recognition log before it is stored, and on the dashboard's samples. Numbers keep their last four characters
 * (mobiles also their first three), as Chinese apps show them, so staff can still tell two numbers apart.
 *
 * Every pattern is anchored on "no digit (or letter) right before or after", so that the article's figures
 * (98.7%, N=1,247, 3.2.1, 5–7), dates and times are never touched.
 */

/** What a masked span was. */
export type PersonalDataKind = 'email' | 'idCard' | 'creditCode' | 'bankCard' | 'mobile' | 'landline';

interface Rule {
  readonly kind: PersonalDataKind;
  readonly pattern: RegExp;
  readonly mask: (match: string) => string;
}

/** Replaces every digit or letter except the first `keepStart` and last `keepEnd` ones; separators stay. */
function keepEnds(keepStart: number, keepEnd: number): (match: string) => string {
  return (match) => {
    const total = match.replace(/[^0-9A-Za-z]/g, '').length;
    let seen = 0;
    return match.replace(/[0-9A-Za-z]/g, (ch) => {
      seen += 1;
      return seen <= keepStart || seen > total - keepEnd ? ch : '*';
    });
  };
}

const NO_DIGIT_BEFORE = '(?<![0-9])';
const NO_DIGIT_AFTER = '(?![0-9])';
const NO_ALNUM_BEFORE = '(?<![0-9A-Za-z])';
const NO_ALNUM_AFTER = '(?![0-9A-Za-z])';
const USCC_CHAR = '[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]';

// Order matters: an 18-digit ID number is also shaped like a credit code and a card number, and a card number
// contains mobile-shaped runs; the first rule to claim a span masks it.
const RULES: readonly Rule[] = [
  {
    kind: 'email',
    pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g,
    mask: (match) => {
      const at = match.indexOf('@');
      return `${match.slice(0, 1)}***${match.slice(at)}`;
    },
  },
  {
    kind: 'idCard',
    // Region (6), birth date 18xx-20xx (8), sequence (3), check digit or X.
    pattern: new RegExp(
      `${NO_ALNUM_BEFORE}[1-9]\\d{5}(?:18|19|20)\\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])\\d{3}[0-9Xx]${NO_ALNUM_AFTER}`,
      'g',
    ),
    mask: keepEnds(0, 4),
  },
  {
    kind: 'creditCode',
    // GB 32100-2015: authority and category, 6-digit region, 9-character organisation code, check character.
    pattern: new RegExp(`${NO_ALNUM_BEFORE}${USCC_CHAR}{2}\\d{6}${USCC_CHAR}{10}${NO_ALNUM_AFTER}`, 'g'),
    mask: keepEnds(0, 4),
  },
  {
    kind: 'bankCard',
    // 16 to 19 digits, written whole or in groups of four.
    pattern: new RegExp(`${NO_DIGIT_BEFORE}(?:\\d{4}[ -]?){3}\\d{4}(?:\\d{1,3})?${NO_DIGIT_AFTER}`, 'g'),
    mask: keepEnds(0, 4),
  },
  {
    kind: 'mobile',
    pattern: new RegExp(`${NO_DIGIT_BEFORE}(?:\\+?86[ -]?)?1[3-9]\\d[ -]?\\d{4}[ -]?\\d{4}${NO_DIGIT_AFTER}`, 'g'),
    mask: (match) => {
      // Keep the country code and the operator prefix: +86 138****5678.
      const local = match.search(/1[3-9]\d[ -]?\d{4}[ -]?\d{4}$/);
      return match.slice(0, local) + keepEnds(3, 4)(match.slice(local));
    },
  },
  {
    kind: 'landline',
    // Area code 0xx or 0xxx (optionally in brackets), then 7 or 8 digits.
    pattern: new RegExp(`${NO_DIGIT_BEFORE}(?:0\\d{2,3}[ -]?|[(（]0\\d{2,3}[)）] ?)\\d{7,8}${NO_DIGIT_AFTER}`, 'g'),
    mask: keepEnds(0, 4),
  },
];

/** Every kind the masker knows, in the order it applies them. */
export const PERSONAL_DATA_KINDS: readonly PersonalDataKind[] = RULES.map((rule) => rule.kind);

/** `text` with every phone number, ID number, credit code, bank card number and e-mail address masked. */
export function maskPersonalData(text: string): string {
  let result = text;
  for (const rule of RULES) {
    rule.pattern.lastIndex = 0;
    result = result.replace(rule.pattern, rule.mask);
  }
  return result;
}

/** The kinds of personal data found in `text` (first match of each), for tests and audits. */
export function findPersonalData(text: string): PersonalDataKind[] {
  const found: PersonalDataKind[] = [];
  let rest = text;
  for (const rule of RULES) {
    rule.pattern.lastIndex = 0;
    if (rule.pattern.test(rest)) found.push(rule.kind);
    rule.pattern.lastIndex = 0;
    rest = rest.replace(rule.pattern, ' ');
  }
  return found;
}
