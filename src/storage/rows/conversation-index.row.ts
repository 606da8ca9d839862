import type { CaseSummary } from '../../handoff/case-summary.js';
import type { HandoffState } from '../../handoff/handoff-state.js';
import type { ConversationPatch, ConversationRecord } from '../../handoff/ports.js';
import { isAbsent, type RowWriting } from './row-writing.js';

/** A row of the `conversation_index` table (SQLite and PostgreSQL). */
export interface ConversationIndexRow {
  conversation_id: string;
  channel_id: string;
  locale: string;
  handoff_state: HandoffState;
  assigned_agent: string | null;
  created_at: string;
  last_activity_at: string;
  waiting_since: string | null;
  handoff_requested_at: string | null;
  case_summary: string | null;
  last_seller_text: string | null;
  reference: string | null;
}

/** Every column, in the order the statements list them. */
export const CONVERSATION_INDEX_COLUMNS: readonly (keyof ConversationIndexRow)[] = [
  'conversation_id',
  'channel_id',
  'locale',
  'handoff_state',
  'assigned_agent',
  'created_at',
  'last_activity_at',
  'waiting_since',
  'handoff_requested_at',
  'case_summary',
  'last_seller_text',
  'reference',
];

/** Column of each patchable field (a patch never changes conversation_id or created_at). */
export const CONVERSATION_COLUMN_OF: Readonly<Record<keyof ConversationPatch, keyof ConversationIndexRow>> = {
  channelId: 'channel_id',
  locale: 'locale',
  handoffState: 'handoff_state',
  assignedAgent: 'assigned_agent',
  lastActivityAt: 'last_activity_at',
  waitingSince: 'waiting_since',
  handoffRequestedAt: 'handoff_requested_at',
  caseSummary: 'case_summary',
  lastSellerText: 'last_seller_text',
  reference: 'reference',
};

/** The record as a row; JSON columns hold the case summary and the conversation reference. */
export function toConversationIndexRow(record: ConversationRecord, writing: RowWriting): ConversationIndexRow {
  return {
    conversation_id: record.conversationId,
    channel_id: record.channelId,
    locale: record.locale,
    handoff_state: record.handoffState,
    assigned_agent: record.assignedAgent,
    created_at: record.createdAt,
    last_activity_at: record.lastActivityAt,
    waiting_since: record.waitingSince,
    handoff_requested_at: record.handoffRequestedAt,
    case_summary: isAbsent(record.caseSummary, writing) ? null : JSON.stringify(record.caseSummary),
    last_seller_text: isAbsent(record.lastSellerText, writing) ? null : writing.text(record.lastSellerText),
    reference: isAbsent(record.reference, writing) ? null : JSON.stringify(record.reference),
  };
}

export function fromConversationIndexRow(row: ConversationIndexRow): ConversationRecord {
  return {
    conversationId: row.conversation_id,
    channelId: row.channel_id,
    locale: row.locale,
    handoffState: row.handoff_state,
    assignedAgent: row.assigned_agent,
    createdAt: row.created_at,
    lastActivityAt: row.last_activity_at,
    waitingSince: row.waiting_since,
    handoffRequestedAt: row.handoff_requested_at,
    // Written only from validated records by the repositories, so parsing back needs no schema.
    caseSummary: row.case_summary === null ? null : (JSON.parse(row.case_summary) as CaseSummary),
    lastSellerText: row.last_seller_text,
    reference: row.reference === null ? null : (JSON.parse(row.reference) as Record<string, unknown>),
  };
}
