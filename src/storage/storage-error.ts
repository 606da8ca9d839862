/** Stable codes of storage failures, so callers branch on `code`, never on message text. */
export type StorageErrorCode =
  | 'STORAGE_ETAG_CONFLICT'
  | 'STORAGE_SCHEMA_TOO_NEW'
  | 'STORAGE_MIGRATIONS_INVALID'
  | 'STORAGE_BAD_ARGUMENT'
  | 'STORAGE_ALREADY_EXISTS'
  | 'STORAGE_NOT_FOUND'
  /** Too many seller activities of the conversation still wait for their turn (the caller answers 429). */
  | 'STORAGE_BACKLOG_FULL'
  | 'STORAGE_CLOSED';

/** A storage failure with a stable code and a message a person can act on. */
export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}
