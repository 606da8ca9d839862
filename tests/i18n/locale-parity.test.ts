import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../../src/app.js';
import { flattenKeys, loadLocaleResources } from '../../src/i18n/load-locales.js';

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

describe('locales', () => {
  const resources = loadLocaleResources(join(ROOT_DIR, 'locales'));

  it('zh-CN and en have exactly the same keys', () => {
    const zh = flattenKeys(resources['zh-CN']);
    const en = flattenKeys(resources.en);
    expect(zh.filter((key) => !en.includes(key))).toEqual([]);
    expect(en.filter((key) => !zh.includes(key))).toEqual([]);
    expect(zh.length).toBeGreaterThan(100);
  });

  it('no text is left empty', () => {
    for (const lng of ['zh-CN', 'en'] as const) {
      const empty = flattenKeys(resources[lng]).filter((key) => {
        const [ns, path] = key.split(':') as [string, string];
        const value = path.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], resources[lng][ns]);
        return typeof value === 'string' ? value.trim() === '' : (value as string[]).length === 0;
      });
      expect(empty, lng).toEqual([]);
    }
  });

  it('the English texts contain no untranslated Chinese sentences (menu names in 【】 and titles in 《》 are kept on purpose)', () => {
    const stripped = JSON.stringify(resources.en)
      .replace(/【[^】]*】|《[^》]*》|\([^)]*\)|旺铺|中文|汉语|简体中文|切换中文|切换到中文|說中文|繁體中文|英文/g, '');
    expect(stripped.match(/[\u4e00-\u9fff]{2,}/g) ?? []).toEqual([]);
  });

  it('every **bold** span renders in CommonMark (CJK punctuation next to ** breaks emphasis)', () => {
    const isPunct = (c: string | undefined): boolean => c !== undefined && /[\p{P}\p{S}]/u.test(c);
    const isSpace = (c: string | undefined): boolean => c === undefined || /\s/u.test(c);
    const broken: string[] = [];
    const walk = (node: unknown): void => {
      if (typeof node === 'string') {
        for (const m of node.matchAll(/\*\*([^*]+)\*\*/g)) {
          const inner = m[1]!;
          const before = node[m.index! - 1];
          const after = node[m.index! + m[0].length];
          const opens = !isSpace(inner[0]) && (!isPunct(inner[0]) || isSpace(before) || isPunct(before));
          const closes = !isSpace(inner.at(-1)) && (!isPunct(inner.at(-1)) || isSpace(after) || isPunct(after));
          if (!opens || !closes) broken.push(m[0]);
        }
      } else if (node && typeof node === 'object') Object.values(node).forEach(walk);
    };
    walk(resources);
    expect(broken).toEqual([]);
  });

  it('source code under src/ and dialogs/ has no Chinese text (it belongs in locales/ or content/)', () => {
    const offenders = [...tsFiles(join(ROOT_DIR, 'src')), ...tsFiles(join(ROOT_DIR, 'dialogs'))]
      .filter((file) => /[\u4e00-\u9fff]/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT_DIR, file));
    expect(offenders).toEqual([]);
  });
});
