/**
 * Event names between the bot and the handoff module (src/handoff). Incoming `handoff.status`
 * follows Bot Framework's HandoffEventNames; the others are this product's own.
 */
export const HANDOFF_EVENTS = {
  /** Outgoing: the seller left their name and phone for a call back. */
  callback: 'handoff.callback',
  /** Outgoing: the seller's 1–5 rating of the consultant. */
  rating: 'handoff.rating',
  /** Outgoing: the seller left the queue. */
  cancel: 'handoff.cancel',
} as const;
