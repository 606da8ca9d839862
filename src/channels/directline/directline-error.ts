/** Stable codes of the Direct Line channel's client errors. */
export type DirectLineErrorCode =
  | 'MISSING_AUTHORIZATION'
  | 'BAD_TOKEN'
  | 'TOKEN_EXPIRED'
  | 'FORBIDDEN'
  | 'CONVERSATION_NOT_FOUND'
  | 'BAD_REQUEST'
  | 'BAD_ACTIVITY'
  | 'BAD_WATERMARK'
  | 'ATTACHMENTS_NOT_SUPPORTED'
  | 'UPLOAD_NOT_SUPPORTED'
  | 'TOO_MANY_REQUESTS'
  | 'BAD_STREAM_TICKET'
  | 'ORIGIN_NOT_ALLOWED';

/** A client mistake the HTTP layer answers with `status` and `{ code, message }`; never a 5xx. */
export class DirectLineError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 413 | 415 | 429,
    readonly code: DirectLineErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DirectLineError';
  }

  /** The JSON body sent to the client. */
  toJSON(): { code: DirectLineErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}
