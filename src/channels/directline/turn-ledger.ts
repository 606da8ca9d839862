/** Where the turns of a conversation stand, as a claim returns it. */
export interface TurnClaim {
  /** Watermark of the last seller activity whose turn has run. */
  readonly turnWatermark: number;
  /** Watermark of the last seller activity stored. */
  readonly sellerWatermark: number;
}

/**
 * Which seller activities have had their bot turn, and which instance runs a conversation's turns now: a lease in
 * the database, so that turns of one conversation run one at a time and in history order whichever instance
 * received the messages, and a killed instance's conversations are picked up once its lease expires.
 * Implemented by PostgreSQL (src/storage/postgres/pg-turn-ledger.ts); a single process needs none (LocalTurnRunner).
 */
export interface TurnLedger {
  /** Takes the conversation's turns for `leaseMs` unless another owner holds an unexpired lease. */
  claim(conversationId: string, owner: string, leaseMs: number): Promise<TurnClaim | undefined>;
  /** Records that the turn of the seller activity at `watermark` ran and extends the lease; false when it was lost. */
  advance(conversationId: string, owner: string, watermark: number, leaseMs: number): Promise<boolean>;
  /** Extends the lease during a long turn; false when it was lost. */
  renew(conversationId: string, owner: string, leaseMs: number): Promise<boolean>;
  /**
   * Gives the lease up and tells whether seller activities still wait. Checked in the same statement, so a message
   * stored while this owner held the lease (whose poster could not claim it) is never left behind.
   */
  release(conversationId: string, owner: string): Promise<boolean>;
  /** Conversations whose seller activities wait while nobody holds a live lease (e.g. their instance was killed). */
  stranded(limit: number): Promise<string[]>;
}
