import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../src/app.js';
import { findRootDir } from '../src/root-dir.js';

const tree = realpathSync(mkdtempSync(join(tmpdir(), 'root-dir-')));
afterAll(() => rmSync(tree, { recursive: true, force: true }));

describe('findRootDir', () => {
  it('finds the folder holding package.json from src/ and from the build output dist/src/', () => {
    const repo = join(tree, 'repo');
    mkdirSync(join(repo, 'src'), { recursive: true });
    mkdirSync(join(repo, 'dist', 'src', 'cli'), { recursive: true });
    writeFileSync(join(repo, 'package.json'), '{}');
    expect(findRootDir(join(repo, 'src'))).toBe(repo);
    expect(findRootDir(join(repo, 'dist', 'src'))).toBe(repo);
    expect(findRootDir(join(repo, 'dist', 'src', 'cli'))).toBe(repo);
    expect(findRootDir(repo)).toBe(repo);
  });

  it('stops at the nearest package.json', () => {
    const outer = join(tree, 'outer');
    const inner = join(outer, 'packages', 'inner');
    mkdirSync(join(inner, 'src'), { recursive: true });
    writeFileSync(join(outer, 'package.json'), '{}');
    writeFileSync(join(inner, 'package.json'), '{}');
    expect(findRootDir(join(inner, 'src'))).toBe(inner);
  });

  it('names itself when there is no package.json anywhere above', () => {
    // The test is meaningless on a machine with a package.json in the temp folder's ancestors.
    const lonely = join(tree, 'lonely', 'a', 'b');
    mkdirSync(lonely, { recursive: true });
    expect(() => findRootDir(lonely)).toThrow(/findRootDir\(\): no package.json/);
  });

  it('ROOT_DIR is this repository', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT_DIR, 'package.json'), 'utf8')) as { name: string };
    expect(manifest.name).toBe('cxt-aliexpress-unbind-bot');
  });
});
