import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';

describe('createLogger', () => {
  it('masks personal data in messages, fields and errors, and keeps everything else', () => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
    logger.info({ text: '手机13812345678 邮箱 li@example.com', count: 37 }, 'seller wrote 110101199003074512');
    logger.error({ err: new Error('bad card 6222021234567890123') }, 'turn failed at 98.7%');
    const [first, second] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(first).toMatchObject({ text: '手机138****5678 邮箱 l***@example.com', count: 37, msg: 'seller wrote **************4512' });
    expect(second).toMatchObject({ msg: 'turn failed at 98.7%', err: { message: 'bad card ***************0123' } });
    expect(lines.join('')).not.toMatch(/13812345678|110101199003074512|6222021234567890123|li@example/);
  });
});
