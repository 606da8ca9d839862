/** Stable codes of cluster bus failures. */
export type BusErrorCode = 'BUS_PAYLOAD_TOO_LARGE' | 'BUS_BAD_TOPIC' | 'BUS_CLOSED';

/** A refused publish or subscribe, with a stable code. */
export class BusError extends Error {
  constructor(
    readonly code: BusErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BusError';
  }
}
