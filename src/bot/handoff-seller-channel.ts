import { ActivityTypes, type Activity, type TranscriptLogger } from 'botbuilder';
import type { ConversationGateway } from '../channels/conversation-gateway.js';
import { HandoffError } from '../handoff/handoff-errors.js';
import { HANDOFF_EVENT_NAMES } from '../handoff/bot-events.schema.js';
import type { TranscriptEntry } from '../handoff/live-events.js';
import type { ConversationRecord } from '../handoff/ports.js';
import type { AgentIdentity, HandoffStatus, SellerChannel } from '../handoff/seller-channel.js';
import { toTranscriptEntry } from './handoff-transcript.js';

/** Collaborators of {@link GatewaySellerChannel}. */
export interface GatewaySellerChannelOptions {
  /** The gateway of the channel a conversation lives on; undefined when the channel cannot be reached proactively. */
  readonly gatewayFor: (channelId: string) => ConversationGateway | undefined;
  /** Agent messages bypass the bot's middleware, so they are written to the transcript here. */
  readonly transcripts: TranscriptLogger;
  readonly now?: () => Date;
}

/** {@link SellerChannel} over the channels' {@link ConversationGateway}s and the transcript store. */
export class GatewaySellerChannel implements SellerChannel {
  private readonly now: () => Date;

  constructor(private readonly options: GatewaySellerChannelOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async sendAgentMessage(conversation: ConversationRecord, agent: AgentIdentity, text: string): Promise<TranscriptEntry> {
    const gateway = this.gateway(conversation, 'sendAgentMessage');
    const from = { id: `agent:${agent.username}`, name: agent.displayName, role: 'bot' };
    // Plain text: what the agent typed is what the seller reads (no markdown or HTML interpretation in the widget).
    const id = await gateway.deliver(conversation.conversationId, { type: ActivityTypes.Message, text, textFormat: 'plain', from });
    const activity = {
      type: ActivityTypes.Message,
      id,
      text,
      textFormat: 'plain',
      from,
      timestamp: this.now(),
      channelId: conversation.channelId,
      conversation: { id: conversation.conversationId, isGroup: false, conversationType: '', name: '' },
      recipient: { id: '', name: '' },
    } as Activity;
    await this.options.transcripts.logActivity(activity);
    return toTranscriptEntry(activity, this.now());
  }

  async dispatchStatus(conversation: ConversationRecord, status: HandoffStatus): Promise<void> {
    await this.gateway(conversation, 'dispatchStatus').dispatchEvent(conversation.conversationId, HANDOFF_EVENT_NAMES.status, status);
  }

  private gateway(conversation: ConversationRecord, operation: string): ConversationGateway {
    const gateway = this.options.gatewayFor(conversation.channelId);
    if (!gateway) {
      throw new HandoffError(
        'CONVERSATION_NOT_FOUND',
        `${operation}(): channel "${conversation.channelId}" of ${conversation.conversationId} cannot be reached by staff`,
      );
    }
    return gateway;
  }
}
