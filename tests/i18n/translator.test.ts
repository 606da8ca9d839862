import { describe, expect, it } from 'vitest';
import { createTranslator } from '../../src/i18n/create-i18n.js';

const resources = {
  'zh-CN': { common: { hello: '你好', wait: '排在第 {{position}} 位' }, topics: { close: '关店' } },
  en: { common: { hello: 'Hello', wait: 'Number {{position}} in line' }, topics: { close: 'Close the store' } },
};

describe('createTranslator', () => {
  const translator = createTranslator(resources as never);

  it('gives each locale its own text for plain keys, the same on repeated calls', () => {
    const zh = translator.forLocale('zh-CN');
    const en = translator.forLocale('en');
    expect([zh('common:hello'), en('common:hello'), zh('common:hello')]).toEqual(['你好', 'Hello', '你好']);
    expect([zh('topics:close'), en('topics:close'), en('topics:close')]).toEqual(['关店', 'Close the store', 'Close the store']);
  });

  it('still interpolates when called with options, after the plain key was looked up', () => {
    const en = translator.forLocale('en');
    expect(en('common:wait')).toBe('Number {{position}} in line');
    expect(en('common:wait', { position: 3 })).toBe('Number 3 in line');
    expect(en('common:wait', { position: 4 })).toBe('Number 4 in line');
  });

  it('falls back to zh-CN for a key missing in English', () => {
    const partial = createTranslator({ 'zh-CN': { common: { only: '仅中文' } }, en: { common: {} } } as never);
    expect(partial.forLocale('en')('common:only')).toBe('仅中文');
  });
});
