/** Channel id of the built-in Direct Line channel: reserved, so `/api/messages` can never address its conversations. */
export const RESERVED_CHANNEL_ID = 'directline';

/** Prefix of the accounts the server gives staff members; a seller never speaks as one. */
export const AGENT_ID_PREFIX = 'agent:';

/** Event names only the server itself emits (handoff state); a channel never delivers them to the bot. */
export function isReservedEventName(name: unknown): boolean {
  return typeof name === 'string' && name.trim().toLowerCase().startsWith('handoff.');
}

/** Whether an account id is one of the server's staff accounts (case and spaces ignored, as a display would). */
export function isAgentId(id: unknown): boolean {
  return typeof id === 'string' && id.trim().toLowerCase().startsWith(AGENT_ID_PREFIX);
}

interface InboundActivity {
  readonly type: string;
  readonly channelId: string;
  readonly name?: unknown;
  readonly from: { readonly id: string; readonly role?: unknown };
}

/**
 * What an `/api/messages` caller may not do even with a valid activity, phrased for the caller, or undefined:
 * address the built-in Direct Line channel, speak as staff or as a bot, or send the server's own handoff events.
 */
export function inboundActivityProblem(activity: InboundActivity): string | undefined {
  if (activity.channelId.trim().toLowerCase() === RESERVED_CHANNEL_ID) {
    return `activity.channelId: "${RESERVED_CHANNEL_ID}" is this server's own web chat channel; it is not reachable through /api/messages`;
  }
  if (isAgentId(activity.from.id)) return `activity.from.id: ids starting with "${AGENT_ID_PREFIX}" belong to staff`;
  if (activity.from.role !== undefined && activity.from.role !== 'user') return 'activity.from.role: must be "user" (or absent)';
  if (activity.type === 'event' && isReservedEventName(activity.name)) {
    return 'activity.name: handoff.* events are emitted by this server only';
  }
  return undefined;
}
