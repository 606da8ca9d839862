import type { TranscriptEntry } from '../../src/handoff/live-events.js';
import type { ConversationRecord } from '../../src/handoff/ports.js';
import type { AgentIdentity, HandoffStatus, SellerChannel } from '../../src/handoff/seller-channel.js';

/** Records what the handoff asked the channel to do. */
export class RecordingSellerChannel implements SellerChannel {
  readonly statuses: Array<{ conversationId: string; status: HandoffStatus }> = [];
  readonly messages: Array<{ conversationId: string; agent: AgentIdentity; text: string }> = [];

  async sendAgentMessage(conversation: ConversationRecord, agent: AgentIdentity, text: string): Promise<TranscriptEntry> {
    this.messages.push({ conversationId: conversation.conversationId, agent, text });
    return {
      id: `agent-msg-${this.messages.length}`,
      type: 'message',
      text,
      from: { id: `agent:${agent.username}`, name: agent.displayName, role: 'bot' },
      timestamp: new Date().toISOString(),
    };
  }

  async dispatchStatus(conversation: ConversationRecord, status: HandoffStatus): Promise<void> {
    this.statuses.push({ conversationId: conversation.conversationId, status });
  }
}
