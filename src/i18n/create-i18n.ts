import i18next, { type i18n, type TFunction } from 'i18next';
import { PRIMARY_LOCALE, SUPPORTED_LOCALES, type SupportedLocale } from './supported-locales.js';
import type { LocaleResources } from './load-locales.js';

export type { TFunction };

/** An i18next instance over the given resources; call `forLocale()` to get a `t` bound to one locale. */
export interface Translator {
  readonly i18n: i18n;
  forLocale(locale: SupportedLocale): TFunction;
}

export function createTranslator(resources: LocaleResources): Translator {
  const instance = i18next.createInstance();
  void instance.init({
    resources,
    lng: PRIMARY_LOCALE,
    fallbackLng: PRIMARY_LOCALE,
    supportedLngs: [...SUPPORTED_LOCALES],
    ns: Object.keys(resources[PRIMARY_LOCALE]),
    defaultNS: 'common',
    initAsync: false,
    returnNull: false,
    // Text goes to chat clients and the console, which escape it themselves.
    interpolation: { escapeValue: false },
  });
  const fixed = new Map(SUPPORTED_LOCALES.map((lng) => [lng, memoizePlainKeys(instance.getFixedT(lng))] as const));
  return {
    i18n: instance,
    forLocale: (locale) => fixed.get(locale) ?? instance.getFixedT(PRIMARY_LOCALE),
  };
}

/**
 * The resources never change after start-up, so a key looked up without options always gives the same text:
 * remember it. i18next resolves namespaces, fallbacks and nesting on every call, which showed up as several
 * percent of a bot turn. Calls with options (interpolation, counts, objects) go straight to i18next.
 */
function memoizePlainKeys(t: TFunction): TFunction {
  const texts = new Map<string, string>();
  const call = t as unknown as (...args: unknown[]) => unknown;
  const memoized = (...args: unknown[]): unknown => {
    const key = args[0];
    if (args.length !== 1 || typeof key !== 'string') return call(...args);
    let text = texts.get(key);
    if (text === undefined) {
      text = String(call(key));
      texts.set(key, text);
    }
    return text;
  };
  return memoized as unknown as TFunction;
}
