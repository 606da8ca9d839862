import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { TFunction } from '../i18n/create-i18n.js';
import type { Logger } from '../logger.js';
import { eraseSellerData, exportSellerData, isEmptyExport, isNothingErased } from './audited-seller-data.js';
import type { SellerDataStore, SellerSelector } from './seller-data.js';

/** Output of the command, replaceable in tests. */
export interface SellerDataCommandIo {
  out(text: string): void;
  err(line: string): void;
}

const EX_USAGE = 64;
const EX_NOT_FOUND = 1;

/**
 * `npm run seller-data -- export|delete --conversation <id> | --user <id> [--out <file>]`. Export prints the JSON
 * on stdout (or writes `--out`, mode 0600); both are audited in the log as `actor`. Returns the exit code.
 */
export async function runSellerDataCommand(
  argv: readonly string[],
  deps: { readonly store: SellerDataStore; readonly io: SellerDataCommandIo; readonly t: TFunction; readonly logger: Logger; readonly actor: string },
): Promise<number> {
  const { store, io, t, logger, actor } = deps;
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { conversation: { type: 'string' }, user: { type: 'string' }, out: { type: 'string' } },
    });
  } catch (error) {
    io.err((error as Error).message);
    io.err(t('console:data.sellerUsage'));
    return EX_USAGE;
  }
  const [command, ...rest] = parsed.positionals;
  const { conversation, user, out } = parsed.values;
  const selector: SellerSelector | undefined =
    (conversation === undefined) === (user === undefined) || (conversation ?? user ?? '').trim() === ''
      ? undefined
      : conversation !== undefined
        ? { conversationId: conversation.trim() }
        : { userId: (user ?? '').trim() };
  if (!selector || rest.length > 0 || (command !== 'export' && command !== 'delete') || (command === 'delete' && out !== undefined)) {
    io.err(t('console:data.sellerUsage'));
    return EX_USAGE;
  }
  if (command === 'export') {
    const data = await exportSellerData(store, selector, actor, logger);
    if (isEmptyExport(data)) {
      io.err(t('console:data.sellerNotFound'));
      return EX_NOT_FOUND;
    }
    const json = `${JSON.stringify(data, null, 2)}\n`;
    if (out === undefined) io.out(json);
    else {
      writeFileSync(out, json, { mode: 0o600 });
      io.err(t('console:data.sellerExported', { count: data.conversations.length, file: out }));
    }
    return 0;
  }
  const counts = await eraseSellerData(store, selector, actor, logger);
  if (isNothingErased(counts)) {
    io.err(t('console:data.sellerNotFound'));
    return EX_NOT_FOUND;
  }
  io.err(t('console:data.sellerDeleted', { ...counts }));
  return 0;
}
