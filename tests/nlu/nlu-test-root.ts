import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root, where `locales/` lives. */
export const ROOT_DIR = join(fileURLToPath(import.meta.url), '..', '..', '..');
