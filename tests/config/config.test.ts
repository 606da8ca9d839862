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
});
