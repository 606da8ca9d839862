/**
 * Key of a turn-state flag (botbuilder `TurnContext.turnState`) set only on turns the server itself started for
 * an event it emitted (`handoff.status` from the handoff service, through a channel's gateway). A seller's
 * activity never carries it, so an event a seller forges with the same name is ignored.
 */
export const SERVER_EVENT_KEY = Symbol('cxt.serverEmittedEvent');

/** Whether the turn is for an event the server emitted (see {@link SERVER_EVENT_KEY}). */
export function isServerEvent(context: { readonly turnState: { get(key: unknown): unknown } }): boolean {
  return context.turnState.get(SERVER_EVENT_KEY) === true;
}
