import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Translator } from '../i18n/create-i18n.js';
import { SUPPORTED_LOCALES, toSupportedLocale, type SupportedLocale } from '../i18n/supported-locales.js';

/** A static file of the console. */
export interface ConsoleAsset {
  readonly body: string;
  readonly contentType: string;
}

/** Files the login page needs; served without a session. Everything else requires one. */
export const PUBLIC_ASSETS: ReadonlySet<string> = new Set(['login.js', 'console.css']);

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};

/**
 * The console's pages (public/console/*.html) with the `console` locale namespace embedded as JSON, so that the
 * page's strings come from locales/ without a build step. Files are read once at start-up.
 */
export class ConsolePages {
  private readonly html = new Map<string, string>();
  private readonly assets = new Map<string, ConsoleAsset>();

  constructor(
    publicDir: string,
    private readonly translator: Translator,
    private readonly defaultLocale: SupportedLocale,
  ) {
    for (const page of ['index', 'login']) this.html.set(page, readFileSync(join(publicDir, `${page}.html`), 'utf8'));
    for (const file of ['console.js', 'login.js', 'console.css']) {
      const ext = file.slice(file.lastIndexOf('.'));
      this.assets.set(file, { body: readFileSync(join(publicDir, file), 'utf8'), contentType: CONTENT_TYPES[ext] ?? 'text/plain' });
    }
  }

  /** `?lang=` wins, then the browser's Accept-Language, then DEFAULT_LOCALE. */
  pickLocale(query: string | undefined, acceptLanguage: string | undefined): SupportedLocale {
    if (query && (SUPPORTED_LOCALES as readonly string[]).includes(query)) return query as SupportedLocale;
    const first = acceptLanguage?.split(',')[0]?.split(';')[0]?.trim();
    return first ? toSupportedLocale(first, this.defaultLocale) : this.defaultLocale;
  }

  /** The page's HTML with `{{lang}}` and `<!--I18N-->` filled in. */
  render(page: 'index' | 'login', locale: SupportedLocale): string {
    const template = this.html.get(page) ?? '';
    const strings = this.translator.i18n.getResourceBundle(locale, 'console') ?? {};
    // JSON inside <script type="application/json">: escaping "<" keeps "</script>" in a string from closing it.
    const json = JSON.stringify({ locale, strings }).replace(/</g, '\\u003c');
    return template
      .replaceAll('{{lang}}', locale)
      .replace('<!--I18N-->', `<script type="application/json" id="console-i18n">${json}</script>`);
  }

  asset(name: string): ConsoleAsset | undefined {
    return this.assets.get(name);
  }
}
