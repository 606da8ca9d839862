/** UI locales with a full translation; zh-CN is the primary one. */
export const SUPPORTED_LOCALES = ['zh-CN', 'en'] as const;
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];
export const PRIMARY_LOCALE: SupportedLocale = 'zh-CN';

/** Maps any BCP-47 tag a client sends (zh-TW, zh-Hans, en-US, ...) to the closest supported locale. */
export function toSupportedLocale(tag: string | undefined, fallback: SupportedLocale = PRIMARY_LOCALE): SupportedLocale {
  if (!tag) return fallback;
  const lower = tag.toLowerCase();
  if (lower.startsWith('zh')) return 'zh-CN';
  if (lower.startsWith('en')) return 'en';
  return fallback;
}
