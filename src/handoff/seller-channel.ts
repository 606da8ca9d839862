import type { TranscriptEntry } from './live-events.js';
import type { ConversationRecord } from './ports.js';

/** The `value` of the incoming `handoff.status` event the bot receives. */
export type HandoffStatus =
  | { readonly state: 'accepted'; readonly agentName: string }
  | { readonly state: 'completed' }
  | { readonly state: 'failed'; readonly reason: 'out_of_hours' | 'no_agent' };

/** A staff member as the handoff needs to know them. */
export interface AgentIdentity {
  readonly username: string;
  /** Shown to the seller as the consultant's name. */
  readonly displayName: string;
}

/**
 * How the handoff reaches a seller's conversation and the bot, without knowing the channel or botbuilder.
 * Implemented in src/bot/ over the channels' ConversationGateway and the transcript store.
 */
export interface SellerChannel {
  /** Delivers the agent's text to the seller's widget and writes it to the transcript. */
  sendAgentMessage(conversation: ConversationRecord, agent: AgentIdentity, text: string): Promise<TranscriptEntry>;
  /** Runs a bot turn for the incoming event `handoff.status` (which the transcript records). */
  dispatchStatus(conversation: ConversationRecord, status: HandoffStatus): Promise<void>;
}
