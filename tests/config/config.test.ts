import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../../src/app.js';
import { ConfigError, configSchema, parseConfig } from '../../src/config.js';

describe('configuration', () => {
  it('starts on embedded defaults', () => {
    const config = parseConfig({});
    expect(config.PORT).toBe(3978);
    expect(config.DEFAULT_LOCALE).toBe('zh-CN');
    expect(config.CONSULTANT_PHONE).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reports every bad variable at once, by name', () => {
    try {
      parseConfig({ PORT: 'eighty', OFFICE_HOURS: 'weekdays', CONSULTANT_PHONE: 'call me' });
      throw new Error('expected ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect(message).toContain('PORT');
      expect(message).toContain('OFFICE_HOURS');
      expect(message).toContain('CONSULTANT_PHONE');
    }
  });

  it('STORAGE=postgres needs a postgres:// DATABASE_URL; pool size, statement time-out and schema have defaults', () => {
    expect(() => parseConfig({ STORAGE: 'postgres' })).toThrow(/DATABASE_URL: required when STORAGE=postgres/);
    expect(() => parseConfig({ STORAGE: 'postgres', DATABASE_URL: '' })).toThrow(/DATABASE_URL/);
    expect(() => parseConfig({ STORAGE: 'postgres', DATABASE_URL: 'mysql://db/bot' })).toThrow(/DATABASE_URL/);
    expect(() =>
      parseConfig({ STORAGE: 'postgres', DATABASE_URL: 'postgres://db/bot', DATABASE_SCHEMA: 'Bot-1', DATABASE_POOL_MAX: '0' }),
    ).toThrow(/DATABASE_SCHEMA[\s\S]*DATABASE_POOL_MAX|DATABASE_POOL_MAX[\s\S]*DATABASE_SCHEMA/);
    const config = parseConfig({ STORAGE: 'postgres', DATABASE_URL: 'postgres://bot:secret@db.internal:5432/bot' });
    expect(config).toMatchObject({
      DATABASE_URL: 'postgres://bot:secret@db.internal:5432/bot',
      DATABASE_SCHEMA: 'public',
      DATABASE_POOL_MAX: 10,
      DATABASE_STATEMENT_TIMEOUT_MS: 10_000,
    });
    // SQLite stays the default and ignores DATABASE_URL.
    expect(parseConfig({}).STORAGE).toBe('sqlite');
  });

  it('metrics: no listener and no token by default; a short token or a bad port stops start-up', () => {
    expect(parseConfig({ METRICS_PORT: '' })).toMatchObject({ METRICS_PORT: undefined, METRICS_TOKEN: '', METRICS_HOST: '127.0.0.1' });
    expect(parseConfig({ METRICS_PORT: '9464' }).METRICS_PORT).toBe(9464);
    expect(() => parseConfig({ METRICS_TOKEN: 'short', METRICS_PORT: 'nine' })).toThrow(/METRICS_TOKEN[\s\S]*METRICS_PORT|METRICS_PORT[\s\S]*METRICS_TOKEN/);
  });

  it('.env.example documents exactly the schema keys', () => {
    const example = readFileSync(join(ROOT_DIR, '.env.example'), 'utf8');
    const keys = [...example.matchAll(/^#?\s*([A-Za-z_][A-Za-z0-9_]*)=/gm)].map((m) => m[1]).sort();
    expect(keys).toEqual(Object.keys(configSchema.shape).sort());
  });

  it('refuses an empty PORT (which would listen on a random port) and ports past 65535', () => {
    expect(() => parseConfig({ PORT: '' })).toThrow(/PORT: expected a port number/);
    expect(() => parseConfig({ PORT: '65536' })).toThrow(/PORT/);
    expect(parseConfig({ PORT: '0' }).PORT).toBe(0);
    expect(parseConfig({ PORT: '8080' }).PORT).toBe(8080);
  });

  it('refuses ALLOWED_ORIGINS entries that are not origins (no scheme, a path), which would silently match nothing', () => {
    expect(() => parseConfig({ ALLOWED_ORIGINS: 'shop.example.com' })).toThrow(/ALLOWED_ORIGINS: expected origins/);
    expect(() => parseConfig({ ALLOWED_ORIGINS: 'https://shop.example.com/chat' })).toThrow(/ALLOWED_ORIGINS/);
    expect(() => parseConfig({ ALLOWED_ORIGINS: 'ftp://shop.example.com' })).toThrow(/ALLOWED_ORIGINS/);
    expect(parseConfig({ ALLOWED_ORIGINS: 'https://shop.example.com, http://localhost:8080/' }).ALLOWED_ORIGINS).toEqual([
      'https://shop.example.com',
      'http://localhost:8080/',
    ]);
    expect(parseConfig({ ALLOWED_ORIGINS: '*' }).ALLOWED_ORIGINS).toEqual(['*']);
  });
});
