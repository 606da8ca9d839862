import { describe, expect, it } from 'vitest';
import {
  HANDOFF_STATES,
  InvalidTransitionError,
  canTransition,
  transition,
  type HandoffEvent,
  type HandoffState,
} from '../../src/handoff/handoff-state.js';

const EVENTS: HandoffEvent[] = ['request', 'cancel', 'fail', 'accept', 'release', 'close', 'reopen'];

/** The whole state machine, written out: every edge that exists. */
const ALLOWED: Array<[HandoffState, HandoffEvent, HandoffState]> = [
  ['bot', 'request', 'queued'],
  ['bot', 'accept', 'agent'],
  ['bot', 'close', 'closed'],
  ['queued', 'cancel', 'bot'],
  ['queued', 'fail', 'bot'],
  ['queued', 'accept', 'agent'],
  ['agent', 'release', 'bot'],
  ['agent', 'close', 'closed'],
  ['closed', 'reopen', 'bot'],
];

describe('transition()', () => {
  it.each(ALLOWED)('%s --%s--> %s', (from, event, to) => {
    expect(transition(from, event)).toBe(to);
    expect(canTransition(from, event)).toBe(true);
  });

  const forbidden = HANDOFF_STATES.flatMap((from) =>
    EVENTS.filter((event) => !ALLOWED.some(([f, e]) => f === from && e === event)).map((event) => [from, event] as const),
  );

  it('covers every (state, event) pair either as an edge or as a refusal', () => {
    expect(ALLOWED.length + forbidden.length).toBe(HANDOFF_STATES.length * EVENTS.length);
  });

  it.each(forbidden)('%s --%s--> is refused with HANDOFF_INVALID_TRANSITION', (from, event) => {
    expect(canTransition(from, event)).toBe(false);
    let thrown: unknown;
    try {
      transition(from, event);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidTransitionError);
    expect((thrown as InvalidTransitionError).code).toBe('HANDOFF_INVALID_TRANSITION');
    expect((thrown as Error).message).toContain(`"${event}"`);
    expect((thrown as Error).message).toContain(`"${from}"`);
  });
});
