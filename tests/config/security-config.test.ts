import { Writable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { ConfigError, DEFAULT_SERVICE_URL_HOSTS, parseConfig } from '../../src/config.js';

describe('security settings', () => {
  it('defaults: /api/messages off, the Bot Framework channel hosts, a 15 s time-out, no PUBLIC_URL', () => {
    const config = parseConfig({});
    expect(config.BOT_FRAMEWORK_ANONYMOUS).toBe(false);
    expect(config.BOT_FRAMEWORK_SERVICE_URL_HOSTS).toEqual(DEFAULT_SERVICE_URL_HOSTS);
    expect(config.BOT_FRAMEWORK_TIMEOUT_SECONDS).toBe(15);
    expect(config.PUBLIC_URL).toBeUndefined();
  });

  it('reads the values .env.example writes (empty means the default)', () => {
    const config = parseConfig({ BOT_FRAMEWORK_ANONYMOUS: 'false', BOT_FRAMEWORK_SERVICE_URL_HOSTS: '', PUBLIC_URL: '' });
    expect(config.BOT_FRAMEWORK_ANONYMOUS).toBe(false);
    expect(config.BOT_FRAMEWORK_SERVICE_URL_HOSTS).toEqual(DEFAULT_SERVICE_URL_HOSTS);
    expect(config.PUBLIC_URL).toBeUndefined();
  });

  it('takes a host list and a public origin', () => {
    const config = parseConfig({ BOT_FRAMEWORK_SERVICE_URL_HOSTS: ' *.Example.com , bot.example.org', PUBLIC_URL: 'https://Bot.Example.com/' });
    expect(config.BOT_FRAMEWORK_SERVICE_URL_HOSTS).toEqual(['*.example.com', 'bot.example.org']);
    expect(config.PUBLIC_URL).toBe('https://bot.example.com');
  });

  it.each([
    ['BOT_FRAMEWORK_ANONYMOUS', { BOT_FRAMEWORK_ANONYMOUS: 'yes' }],
    ['BOT_FRAMEWORK_SERVICE_URL_HOSTS', { BOT_FRAMEWORK_SERVICE_URL_HOSTS: 'https://smba.trafficmanager.net/' }],
    ['BOT_FRAMEWORK_SERVICE_URL_HOSTS', { BOT_FRAMEWORK_SERVICE_URL_HOSTS: 'smba.*' }],
    ['BOT_FRAMEWORK_TIMEOUT_SECONDS', { BOT_FRAMEWORK_TIMEOUT_SECONDS: '0' }],
    ['PUBLIC_URL', { PUBLIC_URL: 'bot.example.com' }],
    ['PUBLIC_URL', { PUBLIC_URL: 'https://bot.example.com/chat' }],
    ['PUBLIC_URL', { PUBLIC_URL: 'ftp://bot.example.com' }],
    ['BOT_FRAMEWORK_ANONYMOUS', { BOT_FRAMEWORK_ANONYMOUS: 'true', MicrosoftAppId: '00000000-0000-0000-0000-000000000001' }],
  ])('refuses a bad %s', (name, env) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(name);
  });

  it('warns at start that /api/messages is anonymous when BOT_FRAMEWORK_ANONYMOUS=true', async () => {
    const lines: { level: number; msg: string }[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line) as { level: number; msg: string });
        done();
      },
    });
    const dataDir = mkdtempSync(join(tmpdir(), 'anon-warn-'));
    const app = await buildApp(
      parseConfig({ LOG_LEVEL: 'info', STORAGE: 'memory', DATA_DIR: dataDir, BOT_FRAMEWORK_ANONYMOUS: 'true', CONSOLE_ADMIN_PASSWORD: 'admin-password-1' }),
      { logger: pino({ level: 'info' }, sink) },
    );
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
    const warning = lines.find((line) => line.msg.includes('BOT_FRAMEWORK_ANONYMOUS=true'));
    expect(warning?.level).toBe(40);
    expect(warning?.msg).toContain('without authentication');
  });
});
