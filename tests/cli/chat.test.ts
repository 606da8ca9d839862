import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../../src/app.js';
import { loadLocaleResources } from '../../src/i18n/load-locales.js';
import { createTranslator } from '../../src/i18n/create-i18n.js';

const translator = createTranslator(loadLocaleResources(join(ROOT_DIR, 'locales')));

/** Runs `npm run chat` with piped stdin, as a script would. */
function chat(lines: string[], args: string[] = []): Promise<{ stdout: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'chat', '--', ...args], {
      cwd: ROOT_DIR,
      env: { ...process.env, LOG_LEVEL: 'silent', CONSULTANT_PHONE: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, code }));
    child.stdin.end(`${lines.join('\n')}\n`);
  });
}

const plain = (text: string): string => text.replace(/\*\*(.+?)\*\*/g, '$1');

describe('npm run chat (piped)', () => {
  it('walks a scenario in Chinese with numbered buttons and exits at end of input', async () => {
    const t = translator.forLocale('zh-CN');
    const { stdout, code } = await chat(['诚信通能一键解绑速卖通吗', '1', '已完成', '已完成', '2']);
    expect(code).toBe(0);
    expect(stdout).toContain(plain(t('menu:welcome')));
    expect(stdout).toContain(`  [1] ${t('topics:scenario.close_store')}`);
    expect(stdout).toContain(plain(t('answers:faq.one_click_unbind')));
    expect(stdout).toContain('98.7%');
  }, 60_000);

  it('speaks English with --locale en', async () => {
    const t = translator.forLocale('en');
    const { stdout, code } = await chat(['Does closing the store affect CXT?'], ['--locale', 'en']);
    expect(code).toBe(0);
    expect(stdout).toContain(plain(t('menu:welcome')));
    expect(stdout).toContain(plain(t('answers:faq.close_store_effect')));
  }, 60_000);
});
