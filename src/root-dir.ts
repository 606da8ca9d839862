import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The repository root: the nearest directory at or above `startDir` that holds a package.json.
 * Modules run from src/ (tsx, vitest) and from dist/src/ (the production build), so a fixed number of `..`
 * would be right for one and wrong for the other; the data folders (locales/, content/, public/) stay at the root.
 * @throws {Error} when no directory up to the file-system root holds a package.json.
 */
export function findRootDir(startDir: string): string {
  for (let dir = startDir; ; ) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`findRootDir(): no package.json in ${startDir} or any folder above it`);
    dir = parent;
  }
}
