import { localeText } from './test-server.js';

/** The bot's welcome (first message of a conversation), from the menu namespace. */
export function welcomeText(lng: 'zh-CN' | 'en' = 'zh-CN'): string {
  return localeText(lng, 'menu', 'welcome');
}

/** The FAQ answer to "can CXT be unbound from AliExpress in one click", wherever the dialogs keep it. */
export function oneClickUnbindAnswer(lng: 'zh-CN' | 'en' = 'zh-CN'): string {
  try {
    return localeText(lng, 'faq', 'one_click_unbind.answer');
  } catch {
    return localeText(lng, 'answers', 'faq.one_click_unbind');
  }
}

/** A seller's question whose answer is {@link oneClickUnbindAnswer}. */
export const ONE_CLICK_QUESTION = '诚信通能一键解绑速卖通吗';

/** What a reader sees of a markdown line: emphasis and link markup removed. */
export function visibleText(markdown: string): string {
  return markdown
    .replace(/\*\*|__/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^[#>\-*\s]+/, '')
    .trim();
}

/** The first non-empty line of a text, as the reader sees it. */
export function firstLine(markdown: string): string {
  return visibleText(markdown.split('\n').find((line) => line.trim().length > 0) ?? '');
}
