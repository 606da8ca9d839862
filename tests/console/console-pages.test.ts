import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConsolePages } from '../../src/console/console-pages.js';
import { createTranslator } from '../../src/i18n/create-i18n.js';

const publicDir = join(import.meta.dirname, '../../public/console');
const hostile = '</script><script>alert(1)</script>';
const translator = createTranslator({
  'zh-CN': { console: { title: hostile } },
  en: { console: { title: 'Staff console' } },
});
const pages = new ConsolePages(publicDir, translator, 'zh-CN');

describe('ConsolePages', () => {
  it('embeds the console namespace as JSON that cannot close its script element', () => {
    const html = pages.render('index', 'zh-CN');
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).not.toContain(hostile);
    const json = /<script type="application\/json" id="console-i18n">(.*?)<\/script>/s.exec(html)?.[1];
    expect(JSON.parse(json!)).toEqual({ locale: 'zh-CN', strings: { title: hostile } });
  });

  it('picks ?lang=, then Accept-Language, then the default locale', () => {
    expect(pages.pickLocale('en', 'zh-CN')).toBe('en');
    expect(pages.pickLocale('fr', 'en-US,en;q=0.9')).toBe('en');
    expect(pages.pickLocale(undefined, 'zh-TW')).toBe('zh-CN');
    expect(pages.pickLocale(undefined, undefined)).toBe('zh-CN');
  });

  it('serves only known files', () => {
    expect(pages.asset('console.js')?.contentType).toContain('javascript');
    expect(pages.asset('../../package.json')).toBeUndefined();
  });
});
