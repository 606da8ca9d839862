/** Who answers the seller: the bot, nobody yet (waiting for a person), a staff member, or nobody (closed). */
export type HandoffState = 'bot' | 'queued' | 'agent' | 'closed';

/** Every handoff state, in the order the console lists them. */
export const HANDOFF_STATES: readonly HandoffState[] = ['queued', 'agent', 'bot', 'closed'];

/**
 * What can happen to a conversation's handoff:
 * - `request`: the bot sent `handoff.initiate` (seller asked for a person, or the bot gave up);
 * - `cancel`: the seller withdrew the request while queued;
 * - `fail`: nobody accepted in time, or the request came outside office hours;
 * - `accept`: a staff member took the conversation over;
 * - `release`: the staff member handed the conversation back to the bot;
 * - `close`: staff closed the conversation;
 * - `reopen`: the seller wrote again in a closed conversation.
 */
export type HandoffEvent = 'request' | 'cancel' | 'fail' | 'accept' | 'release' | 'close' | 'reopen';

/** The only allowed edges; anything else is an {@link InvalidTransitionError}. */
const EDGES: Readonly<Record<HandoffState, Partial<Record<HandoffEvent, HandoffState>>>> = {
  // Staff may take over a conversation the bot is handling without the seller asking (they watch it live).
  bot: { request: 'queued', accept: 'agent', close: 'closed' },
  // A queued seller is waiting for a person: staff take over first, then close.
  queued: { cancel: 'bot', fail: 'bot', accept: 'agent' },
  agent: { release: 'bot', close: 'closed' },
  closed: { reopen: 'bot' },
};

/** A transition that the state machine does not allow; `code` is stable for API clients. */
export class InvalidTransitionError extends Error {
  readonly code = 'HANDOFF_INVALID_TRANSITION';
  constructor(
    readonly from: HandoffState,
    readonly event: HandoffEvent,
  ) {
    super(`transition(): cannot apply "${event}" to a conversation in state "${from}"`);
    this.name = 'InvalidTransitionError';
  }
}

/** The one function that changes a handoff state. Throws {@link InvalidTransitionError} on an edge that does not exist. */
export function transition(state: HandoffState, event: HandoffEvent): HandoffState {
  const next = EDGES[state][event];
  if (next === undefined) throw new InvalidTransitionError(state, event);
  return next;
}

/** Whether `event` is allowed in `state`, without throwing. */
export function canTransition(state: HandoffState, event: HandoffEvent): boolean {
  return EDGES[state][event] !== undefined;
}
