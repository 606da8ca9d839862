/** Stable codes of handoff operations refused for a reason the caller can act on. */
export type HandoffErrorCode =
  | 'CONVERSATION_NOT_FOUND'
  | 'HANDOFF_INVALID_TRANSITION'
  | 'HANDOFF_ALREADY_TAKEN'
  | 'HANDOFF_NOT_HOLDER'
  | 'HANDOFF_CONFLICT'
  /** An activity of one channel named a conversation id that belongs to another channel. */
  | 'CONVERSATION_CHANNEL_MISMATCH';

/** A refused handoff operation; the console API maps `code` to 404/409/403. */
export class HandoffError extends Error {
  constructor(
    readonly code: HandoffErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HandoffError';
  }
}
