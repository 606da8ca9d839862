import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../../src/app.js';
import { checkTurn } from '../../src/cli/dialog-eval-check.js';
import { readEvalFile } from '../../src/cli/dialog-eval-file.js';

const fixtures = join(ROOT_DIR, 'tests', 'fixtures', 'eval-dialog');

/** Runs `npm run eval:dialog` as a developer would. */
function evalDialog(args: string[]): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'eval:dialog', '--', ...args], {
      cwd: ROOT_DIR,
      env: { ...process.env, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code }));
  });
}

describe('npm run eval:dialog', () => {
  it('plays each conversation through the real bot, prints the failing one and 1/2 right', async () => {
    const { stdout, code } = await evalDialog([join(fixtures, 'one-right-one-wrong.jsonl')]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/one-right-one-wrong\.jsonl: 1\/2 right/);
    expect(stdout).toMatch(/^FAIL fixture-wrong turn 1\/1 "关店会影响诚信通吗": missing "NOT-IN-ANY-REPLY-4711" \| reply: ".*89\.2%/mu);
    // The right conversation gets no line of its own, and the expected figure that was there is not reported.
    expect(stdout).not.toContain('FAIL fixture-right');
    expect(stdout).not.toContain('missing "89.2%"');
    expect(stdout).toMatch(/^ {2}en +1\/1 right$/mu);
    expect(stdout).toMatch(/^ {2}zh-CN +0\/1 right$/mu);
    expect(stdout).toMatch(/^ {2}topic:close_store_effect +1\/2 right$/mu);
  }, 90_000);

  it('stops with exit code 1 and names file:line when a line is invalid, before running anything', async () => {
    const file = join(fixtures, 'invalid-line.jsonl');
    const { stdout, stderr, code } = await evalDialog([file]);
    expect(code).toBe(1);
    expect(stderr).toContain(`${file}:2: invalid conversation: turns.0.expect:`);
    expect(stdout).not.toContain('right');
  }, 90_000);
});

describe('eval files', () => {
  it('the shipped dev and held-out sets are valid, disjoint, and large enough together', () => {
    const dev = readEvalFile(join(ROOT_DIR, 'eval', 'dialog', 'dev.jsonl'));
    const heldout = readEvalFile(join(ROOT_DIR, 'eval', 'dialog', 'heldout.jsonl'));
    expect(dev.length + heldout.length).toBeGreaterThanOrEqual(120);
    const devIds = new Set(dev.map((c) => c.id));
    expect(heldout.filter((c) => devIds.has(c.id))).toEqual([]);
    const devSays = new Set(dev.flatMap((c) => c.turns.map((t) => t.say)));
    const firstTurnsShared = heldout.filter((c) => devSays.has(c.turns[0]!.say)).map((c) => c.id);
    expect(firstTurnsShared).toEqual([]);
  });
});

describe('checkTurn()', () => {
  const observed = { text: '98.7% 的申请在 **72 小时**内完成审核，平均 37小时；路径【账户设置】', buttons: ['转人工顾问'], events: [], buttonSets: 1 };

  it('ignores whitespace, bold and dash style, but not a missing or forbidden string', () => {
    expect(checkTurn({ say: 'x', expect: ['72小时', '37 小时', '【账户设置】'], expectAny: [['5–7', '98.7%']] }, observed)).toEqual([]);
    expect(checkTurn({ say: 'x', expect: ['48'], expectNot: ['98.7'], expectButtons: ['Talk to a consultant'], expectEvent: 'handoff.initiate' }, observed)).toEqual([
      'missing "48"',
      'forbidden "98.7"',
      'no button "Talk to a consultant"',
      'no event handoff.initiate',
    ]);
  });

  it('fails a turn whose messages carry two button sets, whatever its expectations', () => {
    expect(checkTurn({ say: 'x' }, { ...observed, buttonSets: 2 })).toEqual(['2 button sets in one turn (only the last can be tapped)']);
  });
});
