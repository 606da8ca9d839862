import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../../src/app.js';

/**
 * `.ci/run`'s system-package step (scripts/ci-system-packages.sh) on a machine where the tools it calls are stand-ins on PATH: apt-get and npm only record that they
 * were called (nothing is installed or tested), chromium exists, and fc-list lists fonts like a real machine with
 * many fonts (far more output than a pipe buffer, so a reader that stops early makes it die of SIGPIPE).
 */
function runCi(fonts: { wqy: boolean }): { status: number | null; calls: string[]; stderr: string } {
  const bin = mkdtempSync(join(tmpdir(), 'ci-run-'));
  dirs.push(bin);
  const log = join(bin, 'calls.log');
  const stub = (name: string, body: string): void => {
    writeFileSync(join(bin, name), `#!/bin/bash\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  stub('apt-get', `echo "apt-get $*" >> '${log}'`);
  stub('npm', `echo "npm $*" >> '${log}'`);
  stub('chromium', 'exit 0');
  const first = fonts.wqy ? 'echo "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc: WenQuanYi Zen Hei:style=Regular"' : '';
  stub('fc-list', `${first}\nfor i in $(seq 1 20000); do echo "/usr/share/fonts/truetype/dejavu/DejaVuSans-$i.ttf: DejaVu Sans:style=Book"; done`);
  const result = spawnSync('bash', [join(ROOT_DIR, 'scripts', 'ci-system-packages.sh')], {
    env: { PATH: `${bin}:/usr/bin:/bin`, HOME: bin },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const calls = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
  return { status: result.status, calls, stderr: result.stderr };
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('.ci/run: Debian packages', () => {
  it('.ci/run installs them through scripts/ci-system-packages.sh before npm ci', () => {
    const run = readFileSync(join(ROOT_DIR, '.ci', 'run'), 'utf8');
    expect(run.indexOf('scripts/ci-system-packages.sh')).toBeGreaterThan(-1);
    expect(run.indexOf('scripts/ci-system-packages.sh')).toBeLessThan(run.indexOf('npm ci'));
  });

  it('installs nothing when Chromium and the CJK font are present', () => {
    const { status, calls, stderr } = runCi({ wqy: true });
    expect(status, stderr).toBe(0);
    expect(calls.filter((call) => call.startsWith('apt-get'))).toEqual([]);
    expect(calls).toEqual([]);
  });

  it('installs the packages when the CJK font is missing', () => {
    const { status, calls, stderr } = runCi({ wqy: false });
    expect(status, stderr).toBe(0);
    expect(calls.some((call) => call.startsWith('apt-get install') && call.includes('fonts-wqy-zenhei'))).toBe(true);
  });
});
