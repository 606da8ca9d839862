import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT_DIR } from './nlu-test-root.js';

/** Runs the contract command exactly as outside evaluations do: `npm run --silent classify`. */
function classify(stdin: string, args: readonly string[] = []): { stdout: string; stderr: string; status: number | null } {
  const result = spawnSync('npm', ['run', '--silent', 'classify', ...(args.length > 0 ? ['--', ...args] : [])], {
    cwd: ROOT_DIR,
    input: stdin,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

describe('npm run --silent classify', () => {
  it('writes exactly one JSON line per input line, in order, and nothing else on stdout', () => {
    const input = [
      { text: '誠信通和速賣通怎麼解除關聯', locale: 'zh-TW' },
      { text: 'How do I close my Taobao store?', locale: 'en' },
      { text: '速卖通关店审核要多久', locale: 'zh-CN' },
      { text: 'thanks!', locale: 'en' },
    ];
    const { stdout, status } = classify(`${input.map((row) => JSON.stringify(row)).join('\n')}\n`);
    expect(status).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(input.length);
    const results = lines.map((line) => JSON.parse(line) as { intent: string; score: number; alternatives: Array<{ intent: string; score: number }> });
    expect(results.map((r) => r.intent)).toEqual([
      expect.stringMatching(/^(faq\.one_click_unbind|core\.relationship)$/),
      'none',
      'scenario.close_store',
      'chitchat.thanks',
    ]);
    for (const r of results) {
      expect(r.score).toBeGreaterThanOrEqual(0);
      expect(r.score).toBeLessThanOrEqual(1);
      expect(Array.isArray(r.alternatives)).toBe(true);
    }
  });

  it('adds the cue reader\'s aspects, stated facts, change kind, yes/no reading and upset flag beside the intent', () => {
    const input = [
      { text: '關店審核大概幾天能好', locale: 'zh-TW' },
      { text: '公司注销好了，诚信通怎么停', locale: 'zh-CN' },
      { text: '法人换了', locale: 'zh-CN' },
      { text: 'not yet', locale: 'en' },
      { text: 'This bot is useless, I want to complain', locale: 'en' },
    ];
    const { stdout, status } = classify(`${input.map((row) => JSON.stringify(row)).join('\n')}\n`);
    expect(status).toBe(0);
    const lines = stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(input.length);
    expect(lines[0]).toMatchObject({ intent: 'scenario.close_store', aspects: ['duration'], stated: [], changeKind: null, reply: null, upset: false });
    expect(lines[1]).toMatchObject({ aspects: [], stated: [{ fact: 'company_deregistered', value: true }], reply: null });
    expect(lines[2]).toMatchObject({ stated: [{ fact: 'registration_changed', value: true }], changeKind: 'legal_rep' });
    expect(lines[3]).toMatchObject({ reply: 'no', upset: false });
    expect(lines[4]).toMatchObject({ reply: null, upset: true });
    for (const line of lines) expect(Object.keys(line).slice(0, 4)).toEqual(['intent', 'score', 'alternatives', 'ambiguous']);
  });

  it('answers a bad line with an error line instead of crashing, keeping the alignment', () => {
    const { stdout, status } = classify('not json\n{"locale":"en"}\n\n{"text":"hello","locale":"en"}\n');
    expect(status).toBe(0);
    const lines = stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { intent: string; error?: { code: string } });
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ intent: 'none', aspects: [], stated: [], reply: null, upset: false, error: { code: 'INVALID_JSON' } });
    expect(lines[1]).toMatchObject({ intent: 'none', error: { code: 'INVALID_INPUT' } });
    expect(lines[2]).toMatchObject({ intent: 'chitchat.greeting' });
  });

  it('--explain adds the normalized text and the weights behind the answer', () => {
    const { stdout } = classify('{"text":"ＣＸＴ到期了，AliExpress會關店嗎？","locale":"zh-TW"}\n', ['--explain']);
    const result = JSON.parse(stdout) as { intent: string; normalized: string; topContributions: unknown[] };
    expect(result.intent).toBe('faq.cxt_expiry');
    expect(result.normalized).toBe('CXT 到期了 AE 会关店吗');
    expect(result.topContributions.length).toBeGreaterThan(0);
  });
});
