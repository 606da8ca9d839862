import type { CallbackRequest, CallbackStatus } from '../../handoff/ports.js';
import type { RowWriting } from './row-writing.js';

/** A row of the `callback_requests` table (SQLite and PostgreSQL). */
export interface CallbackRow {
  id: string;
  conversation_id: string;
  name: string;
  phone: string;
  locale: string;
  created_at: string;
  status: CallbackStatus;
  handled_by: string | null;
}

/** Every column, in the order the statements list them. */
export const CALLBACK_COLUMNS: readonly (keyof CallbackRow)[] = [
  'id',
  'conversation_id',
  'name',
  'phone',
  'locale',
  'created_at',
  'status',
  'handled_by',
];

/** The request as a row; name and phone are what the seller typed. */
export function toCallbackRow(request: CallbackRequest, writing: RowWriting): CallbackRow {
  return {
    id: request.id,
    conversation_id: request.conversationId,
    name: writing.text(request.name),
    phone: writing.text(request.phone),
    locale: request.locale,
    created_at: request.createdAt,
    status: request.status,
    handled_by: request.handledBy,
  };
}

export function fromCallbackRow(row: CallbackRow): CallbackRequest {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    name: row.name,
    phone: row.phone,
    locale: row.locale,
    createdAt: row.created_at,
    status: row.status,
    handledBy: row.handled_by,
  };
}
