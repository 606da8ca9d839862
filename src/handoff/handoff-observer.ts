import type { HandoffEvent, HandoffState } from './handoff-state.js';

/** One handoff state change, as the service reports it to observers (metrics). */
export interface HandoffTransitionRecord {
  readonly conversationId: string;
  readonly from: HandoffState;
  readonly event: HandoffEvent;
  readonly to: HandoffState;
  /** Seconds the seller had waited, when the change takes them out of the queue. */
  readonly waitedSeconds?: number;
}

/** Called after each committed handoff state change; must not throw. */
export type HandoffObserver = (change: HandoffTransitionRecord) => void;
