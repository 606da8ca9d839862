import type { Middleware, Storage } from 'botbuilder';
import type { AsyncConversationStore } from '../channels/directline/async-conversation-store.js';
import type { TurnLedger } from '../channels/directline/turn-ledger.js';
import type { ConsoleRepositories } from '../console/ports.js';
import type { HandoffRepositories } from '../handoff/ports.js';
import type { SellerDataStore } from '../privacy/seller-data.js';
import type { ReconcileReport } from './directline-transcript-reconciler.js';
import type { RateLimits } from './rate-limits.js';
import type { SearchableTranscriptStore } from './searchable-transcript-store.js';
import type { SharedSettings } from './shared-settings.js';
import type { StorageReadiness } from './storage-readiness.js';

/** Everything the product persists, built once by the composition root (SQLite, PostgreSQL or memory). */
export interface Stores {
  /** botbuilder Storage for ConversationState and UserState (eTag concurrency). */
  readonly storage: Storage;
  /** Every activity of every conversation, with full-text search. */
  readonly transcripts: SearchableTranscriptStore;
  /** Records each turn's activities into `transcripts` as they happen; add to every adapter. */
  readonly transcriptMiddleware: Middleware;
  /** The Direct Line channel's conversations and activity history. */
  readonly conversations: AsyncConversationStore;
  /** Which seller activities have had their turn, and which instance runs them: only where instances share storage. */
  readonly turnLedger?: TurnLedger;
  /** Conversation index, recognitions, callbacks, ratings, transcript search. */
  readonly handoff: HandoffRepositories;
  /** Staff users and console sessions. */
  readonly console: ConsoleRepositories;
  /** One seller's data across every store (export, erasure) and retention. */
  readonly sellerData: SellerDataStore;
  /** Where rate limits count: in this process, or in PostgreSQL so that every instance shares them. */
  readonly limits: RateLimits;
  /**
   * Settings every instance shares (PostgreSQL). Absent when storage belongs to one instance: the generated
   * channel secret then lives in DATA_DIR.
   */
  readonly sharedSettings?: SharedSettings;
  /**
   * What start-up found after an unclean stop: history copied into the transcript, and seller messages that were
   * acknowledged but never reached the bot (the channel may replay them). Empty for memory stores.
   */
  readonly recovered: ReconcileReport;
  /** Whether storage answers and its schema is migrated (`/readyz`). */
  readiness(): StorageReadiness;
  /** Calls `listener` with the duration (seconds) of each durable commit; returns the unsubscribe function. */
  onCommit(listener: (seconds: number) => void): () => void;
  /** Flushes and closes the underlying database; safe to call twice. Await it: PostgreSQL closes its pool. */
  close(): void | Promise<void>;
}
