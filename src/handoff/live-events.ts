import type { CallbackRequest, ConversationRecord, Rating, RecognitionRecord } from './ports.js';

/** A conversation as the console lists it: the index record without the channel's private reference. */
export type ConversationSummary = Omit<ConversationRecord, 'reference'> & {
  /** 1-based place in the queue when `queued`, else null. */
  readonly queuePosition: number | null;
};

/** One line of a conversation as the console shows it (seller, bot or agent message, or a handoff event). */
export interface TranscriptEntry {
  readonly id: string;
  /** `message` or `event`. */
  readonly type: string;
  /** Event name (`handoff.initiate`, `handoff.status`, ...). */
  readonly name?: string;
  /** Plain text; the console renders it as text, never HTML. */
  readonly text?: string;
  readonly from: { readonly id: string; readonly name?: string; readonly role?: string };
  readonly timestamp: string;
  readonly value?: unknown;
  /** For seller messages: what the bot recognised (from its `nlu.recognition` trace). */
  readonly intent?: string;
  readonly score?: number;
}

/** What the console's WebSocket pushes. */
export type LiveEvent = (
  | { readonly type: 'conversation'; readonly conversation: ConversationSummary }
  | { readonly type: 'activity'; readonly conversationId: string; readonly activity: TranscriptEntry }
  | { readonly type: 'recognition'; readonly recognition: RecognitionRecord }
  | { readonly type: 'callback'; readonly callback: CallbackRequest }
  | { readonly type: 'rating'; readonly rating: Rating }
  /** Events may have been missed (another instance's, while the cluster bus was down): reload what is shown. */
  | { readonly type: 'resync' }
) & {
  /** Set when the event came from another instance with its long texts shortened (ending in …) to fit the bus. */
  readonly truncated?: true;
};

/** `local`: published by this instance; `remote`: relayed from another instance (see src/cluster/live-hub-bridge.ts). */
export type LiveOrigin = 'local' | 'remote';

export type LiveListener = (event: LiveEvent, origin: LiveOrigin) => void;

/**
 * In-process publish/subscribe of {@link LiveEvent}s; the console socket subscribes one listener per client. With
 * several instances, a bridge relays `local` events to the others and publishes theirs here as `remote`.
 */
export class LiveHub {
  private readonly listeners = new Set<LiveListener>();

  /** Returns the unsubscribe function. */
  subscribe(listener: LiveListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A failing listener (e.g. a closed socket) does not stop the others. */
  publish(event: LiveEvent, origin: LiveOrigin = 'local'): void {
    for (const listener of this.listeners) {
      try {
        listener(event, origin);
      } catch {
        // The socket layer logs and drops its own broken clients.
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }
}
