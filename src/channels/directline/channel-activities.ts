import { randomBytes } from 'node:crypto';
import { ActivityTypes, type Activity, type ChannelAccount, type ConversationAccount } from 'botbuilder';
import { RESERVED_CHANNEL_ID } from '../bot-framework-activity-policy.js';
import type { NewActivity } from './async-conversation-store.js';
import type { StoredConversation } from './conversation-store.js';
import type { IncomingActivity } from './incoming-activity.schema.js';

/** What the bot's turns see as the service URL: turns run in this process, never over HTTP. */
const SERVICE_URL = 'directline://in-process';

/**
 * The activities the channel makes: the seller's (from a validated POST body, with the server's own `from`), the
 * welcome, server events, the typing indicator, and the bot's or an agent's outgoing ones; all addressed alike.
 */
export class ChannelActivities {
  constructor(readonly bot: ChannelAccount) {}

  /** A seller's activity as stored: the client chose the content, the server the addressing and the user. */
  fromSeller(conversation: StoredConversation, incoming: IncomingActivity): NewActivity {
    // attachments is always empty here (the schema refuses any)
    const { from, attachments: _none, ...fields } = incoming;
    return {
      ...fields,
      channelId: RESERVED_CHANNEL_ID,
      serviceUrl: SERVICE_URL,
      conversation: conversationAccount(conversation.id),
      from: { id: conversation.userId, name: from?.name ?? '', role: 'user' },
      recipient: this.bot,
      locale: incoming.locale ?? conversation.locale,
    };
  }

  /** The turn that greets a new conversation (not stored; its replies are). */
  welcome(conversation: StoredConversation, now: Date): Partial<Activity> {
    const seller = { id: conversation.userId, name: '', role: 'user' };
    return {
      ...this.turnFrom(conversation, now),
      type: ActivityTypes.ConversationUpdate,
      id: `${conversation.id}|start`,
      membersAdded: [seller],
      locale: conversation.locale,
    };
  }

  /** An event the server emits into a conversation (handoff status), in the seller's current locale. */
  serverEvent(conversation: StoredConversation, name: string, value: unknown, locale: string, now: Date): Partial<Activity> {
    return {
      ...this.turnFrom(conversation, now),
      type: ActivityTypes.Event,
      name,
      value,
      id: `${conversation.id}|event-${randomBytes(12).toString('base64url')}`,
      locale,
    };
  }

  /** An outgoing activity (the bot's, or an agent's through the gateway) addressed to the conversation. */
  outgoing(conversationId: string, activity: Partial<Activity>): NewActivity {
    const { id: _id, timestamp: _timestamp, ...rest } = activity;
    return { ...rest, channelId: RESERVED_CHANNEL_ID, conversation: conversationAccount(conversationId) };
  }

  /** The typing indicator shown right after a seller message, while its turn runs; none after anything else. */
  typingAfter(activity: Partial<Activity>): Partial<Activity> | undefined {
    if (activity.type !== ActivityTypes.Message || activity.from?.role !== 'user') return undefined;
    return {
      type: ActivityTypes.Typing,
      id: `${activity.id}|typing`,
      timestamp: activity.timestamp,
      channelId: RESERVED_CHANNEL_ID,
      conversation: activity.conversation,
      from: this.bot,
      recipient: activity.from,
    };
  }

  private turnFrom(conversation: StoredConversation, now: Date): Partial<Activity> {
    return {
      timestamp: now,
      channelId: RESERVED_CHANNEL_ID,
      serviceUrl: SERVICE_URL,
      conversation: conversationAccount(conversation.id),
      from: { id: conversation.userId, name: '', role: 'user' },
      recipient: this.bot,
    };
  }
}

function conversationAccount(conversationId: string): ConversationAccount {
  return { id: conversationId, isGroup: false, conversationType: 'personal', name: '' };
}
