import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../../src/app.js';

const dataDir = mkdtempSync(join(tmpdir(), 'startup-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Starts `npm start` for real and collects what it says until it exits (or is stopped). */
function start(env: Record<string, string>, stopWhen?: RegExp): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['start', '--silent'], {
      cwd: ROOT_DIR,
      env: { ...process.env, PORT: '0', DATA_DIR: dataDir, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    const collect = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      if (stopWhen?.test(output)) process.kill(-child.pid!, 'SIGTERM');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

// npm start builds first (tsc: ~10 s idle, 30 s and more on the shared, loaded 2-core machine), so the limits are generous.
describe('start-up', () => {
  it('a bad configuration value stops start-up with a message naming the variable', async () => {
    const { code, output } = await start({ PORT: 'eighty', DEFAULT_LOCALE: 'fr' });
    expect(code).not.toBe(0);
    expect(output).toContain('Invalid configuration');
    expect(output).toContain('PORT');
    expect(output).toContain('DEFAULT_LOCALE');
  }, 180_000);

  it('starts on embedded defaults and logs where it listens', async () => {
    const { output } = await start({ LOG_LEVEL: 'info' }, /listening on/);
    expect(output).toMatch(/listening on http:\/\/localhost:\d+\//);
  }, 180_000);
});
