import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** File in DATA_DIR holding the generated Direct Line secret. */
export const SECRET_FILE_NAME = 'directline-secret';

/**
 * The channel secret: `configured` when set, otherwise one generated on first start and kept in
 * `<dataDir>/directline-secret` (mode 0600), so that tokens stay valid across restarts.
 */
export function resolveChannelSecret(configured: string, dataDir: string): string {
  if (configured.length > 0) {
    if (configured.length < 16) throw new Error('resolveChannelSecret(): DIRECTLINE_SECRET needs at least 16 characters');
    return configured;
  }
  const path = join(dataDir, SECRET_FILE_NAME);
  if (existsSync(path)) {
    const stored = readFileSync(path, 'utf8').trim();
    if (stored.length >= 16) return stored;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  return secret;
}
