import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadAsset } from '../../src/server/widget-assets.js';

describe('static assets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'asset-test-'));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('an edit that keeps the size changes the ETag (no stale 304), the same content keeps it', () => {
    const file = join(dir, 'embed.js');
    writeFileSync(file, 'console.log("v1");');
    const before = loadAsset(file, 'application/javascript', 'embed');
    writeFileSync(file, 'console.log("v2");');
    const after = loadAsset(file, 'application/javascript', 'embed');
    expect(after.etag).not.toBe(before.etag);
    expect(loadAsset(file, 'application/javascript', 'embed').etag).toBe(after.etag);
    expect(after.body().toString()).toBe('console.log("v2");');
  });
});
