import type { Logger } from '../logger.js';
import type { SellerDataCounts, SellerDataExport, SellerDataStore, SellerSelector } from './seller-data.js';

/** Who asked: a console user (`console:<username>`) or an operator at the command line (`cli:<OS user>`). */
export type Actor = string;

/** What an audit line says about the selection: its kind and the opaque id, never the seller's data. */
function selectorFields(selector: SellerSelector): Record<string, string> {
  return 'conversationId' in selector ? { selector: 'conversation', conversationId: selector.conversationId } : { selector: 'user', userId: selector.userId };
}

/**
 * Exports one seller's data and writes an audit line (who, which selection, how many conversations). The export
 * itself never goes to the log.
 */
export async function exportSellerData(store: SellerDataStore, selector: SellerSelector, actor: Actor, logger: Logger): Promise<SellerDataExport> {
  const data = await store.export(selector);
  logger.info(
    { audit: 'seller_data.export', actor, ...selectorFields(selector), conversations: data.conversations.length },
    'audit: seller data exported',
  );
  return data;
}

/** Erases one seller's data and writes an audit line (who, which selection, counts removed per kind). */
export async function eraseSellerData(store: SellerDataStore, selector: SellerSelector, actor: Actor, logger: Logger): Promise<SellerDataCounts> {
  const counts = await store.erase(selector);
  logger.info({ audit: 'seller_data.erase', actor, ...selectorFields(selector), ...counts }, 'audit: seller data erased');
  return counts;
}

/** True when an export found nothing at all about the selection. */
export function isEmptyExport(data: SellerDataExport): boolean {
  return data.conversations.length === 0 && Object.keys(data.userState).length === 0;
}

/** True when an erasure removed nothing. */
export function isNothingErased(counts: SellerDataCounts): boolean {
  return Object.values(counts).every((n) => n === 0);
}
