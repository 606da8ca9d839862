import type { SupportedLocale } from '../../src/i18n/supported-locales.js';

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/u;
const LATIN_WORD = /[a-z]{2,}/gi;

/**
 * The language a message is clearly written in, or undefined when it does not say
 * (digits, "ok", emoji): Chinese characters mean zh-CN, two or more Latin words mean en.
 */
export function detectLanguage(text: string): SupportedLocale | undefined {
  if (CJK.test(text)) return 'zh-CN';
  const words = text.match(LATIN_WORD) ?? [];
  return words.length >= 2 ? 'en' : undefined;
}
