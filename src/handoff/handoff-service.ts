import { HandoffError } from './handoff-errors.js';
import { canTransition, transition, type HandoffEvent, type HandoffState } from './handoff-state.js';
import type { CaseSummary } from './case-summary.js';
import type { HandoffObserver } from './handoff-observer.js';
import type { ConversationSummary, LiveHub, TranscriptEntry } from './live-events.js';
import type { OfficeHours } from './office-hours.js';
import type { ConversationPatch, ConversationRecord, HandoffRepositories } from './ports.js';
import { QueueEstimator } from './queue-estimator.js';
import type { AgentIdentity, HandoffStatus, SellerChannel } from './seller-channel.js';

/** Collaborators and settings of {@link HandoffService}. */
export interface HandoffServiceOptions {
  readonly repositories: HandoffRepositories;
  readonly channel: SellerChannel;
  readonly live: LiveHub;
  readonly officeHours: OfficeHours;
  /** HANDOFF_MAX_WAIT_SECONDS: a queued seller waiting longer gets phone and callback instead. */
  readonly maxWaitSeconds: number;
  /** Reports background failures (dispatch to a vanished conversation, storage errors). */
  readonly onError: (error: unknown, context: string) => void;
  readonly now?: () => Date;
  readonly estimator?: QueueEstimator;
  /** Told of every committed state change (metrics). */
  readonly onTransition?: HandoffObserver;
}

/** What happened to a handoff request. */
export type HandoffRequestOutcome =
  | { readonly outcome: 'queued'; readonly position: number; readonly estimateMinutes: number }
  | { readonly outcome: 'failed'; readonly reason: 'out_of_hours' }
  | { readonly outcome: 'ignored'; readonly state: HandoffState };

/** An activity of a conversation as the handoff middleware observes it. */
export interface ObservedActivity {
  readonly conversationId: string;
  readonly channelId: string;
  readonly locale: string;
  readonly reference: Readonly<Record<string, unknown>> | null;
  /** Set for the seller's message activities (list preview, reopening a closed conversation). */
  readonly sellerText?: string;
}

/**
 * The handoff: queue, take-over, hand-back and close, over the conversation index. Every state change goes
 * through {@link transition} and a compare-and-set update, so concurrent staff cannot both take one conversation.
 * No botbuilder here: the bot and the channel are reached through {@link SellerChannel}.
 */
export class HandoffService {
  private readonly now: () => Date;
  private readonly estimator: QueueEstimator;

  constructor(private readonly options: HandoffServiceOptions) {
    this.now = options.now ?? (() => new Date());
    this.estimator = options.estimator ?? new QueueEstimator();
  }

  private get conversations() {
    return this.options.repositories.conversations;
  }

  /** Records an activity of a conversation (creating its index entry); reopens a closed one when the seller writes. */
  async observe(activity: ObservedActivity): Promise<ConversationRecord> {
    // Ids are only unique within a channel: an activity of another channel must never touch this conversation.
    const known = await this.conversations.get(activity.conversationId);
    if (known && known.channelId !== activity.channelId) {
      throw new HandoffError(
        'CONVERSATION_CHANNEL_MISMATCH',
        `observe(): conversation ${activity.conversationId} belongs to channel "${known.channelId}", not "${activity.channelId}"`,
      );
    }
    const at = this.now().toISOString();
    const initial: ConversationRecord = {
      conversationId: activity.conversationId,
      channelId: activity.channelId,
      locale: activity.locale,
      handoffState: 'bot',
      assignedAgent: null,
      createdAt: at,
      lastActivityAt: at,
      waitingSince: null,
      handoffRequestedAt: null,
      caseSummary: null,
      lastSellerText: null,
      reference: activity.reference,
    };
    let reopened = false;
    const updated = await this.conversations.touch(initial, (existing) => {
      const patch: { -readonly [K in keyof ConversationPatch]: ConversationPatch[K] } = { lastActivityAt: at };
      if (activity.reference) patch.reference = activity.reference;
      if (activity.sellerText !== undefined) {
        patch.lastSellerText = activity.sellerText;
        if (existing.handoffState === 'closed') {
          patch.handoffState = transition('closed', 'reopen');
          reopened = true;
        }
      }
      return patch;
    });
    if (reopened) this.notify(updated, 'closed', 'reopen');
    await this.publish(updated);
    return updated;
  }

  /** The bot sent `handoff.initiate`: queue the seller, or fail at once outside office hours. */
  async request(conversationId: string, summary: CaseSummary): Promise<HandoffRequestOutcome> {
    const record = await this.require(conversationId);
    const at = this.now();
    if (record.handoffState === 'queued') return { outcome: 'queued', ...(await this.queuePlace(conversationId)) };
    if (!canTransition(record.handoffState, 'request')) return { outcome: 'ignored', state: record.handoffState };
    const base: ConversationPatch = { caseSummary: summary, handoffRequestedAt: at.toISOString(), locale: summary.locale };
    if (!this.options.officeHours.isOpen(at)) {
      // bot -> queued -> bot in one step: the request is recorded (case card, handoff rate) but nobody is asked.
      const state = transition(transition(record.handoffState, 'request'), 'fail');
      const updated = await this.conversations.update(conversationId, { ...base, handoffState: state }, record.handoffState);
      if (updated) {
        this.notify(updated, record.handoffState, 'request');
        // Nobody waited: the failure is recorded without a queue wait.
        this.notify({ ...updated, waitingSince: null }, 'queued', 'fail');
        await this.publish(updated);
      }
      return { outcome: 'failed', reason: 'out_of_hours' };
    }
    const updated = await this.change(record, 'request', { ...base, waitingSince: at.toISOString() });
    await this.publishQueue(updated.conversationId);
    return { outcome: 'queued', ...(await this.queuePlace(conversationId)) };
  }

  /** The seller withdrew a queued request (the bot sent `handoff.cancel`). No-op in any other state. */
  async cancel(conversationId: string): Promise<void> {
    const record = await this.require(conversationId);
    if (record.handoffState !== 'queued') return;
    await this.change(record, 'cancel', { waitingSince: null });
    await this.publishQueue();
  }

  /** 1-based place in the queue and the estimated wait; throws when the conversation is not queued. */
  async queuePlace(conversationId: string): Promise<{ position: number; estimateMinutes: number }> {
    const queue = await this.queue();
    const index = queue.findIndex((r) => r.conversationId === conversationId);
    if (index < 0) throw new HandoffError('HANDOFF_INVALID_TRANSITION', `queuePlace(): ${conversationId} is not queued`);
    // Nobody waits longer than HANDOFF_MAX_WAIT_SECONDS (the sweep fails the handoff then), so never promise more.
    const ceiling = Math.max(1, Math.ceil(this.options.maxWaitSeconds / 60));
    return { position: index + 1, estimateMinutes: Math.min(ceiling, this.estimator.estimateMinutes(index + 1)) };
  }

  /** A staff member takes the conversation over (from the queue, or from the bot while watching). */
  async takeOver(conversationId: string, agent: AgentIdentity): Promise<ConversationRecord> {
    const record = await this.require(conversationId);
    if (record.handoffState === 'agent') {
      throw new HandoffError('HANDOFF_ALREADY_TAKEN', `takeOver(): ${conversationId} is already held by ${record.assignedAgent ?? '?'}`);
    }
    const updated = await this.change(record, 'accept', { assignedAgent: agent.username, waitingSince: null });
    if (record.waitingSince) this.estimator.recordWait((this.now().getTime() - Date.parse(record.waitingSince)) / 1000);
    if (record.handoffState === 'queued') await this.publishQueue();
    await this.dispatch(updated, { state: 'accepted', agentName: agent.displayName });
    return updated;
  }

  /** The holder's reply, delivered to the seller under the agent's display name. */
  async reply(conversationId: string, agent: AgentIdentity, text: string): Promise<TranscriptEntry> {
    const record = await this.requireHolder(conversationId, agent, 'reply');
    const entry = await this.options.channel.sendAgentMessage(record, agent, text);
    const updated = await this.conversations.update(conversationId, { lastActivityAt: this.now().toISOString() });
    this.options.live.publish({ type: 'activity', conversationId, activity: entry });
    if (updated) await this.publish(updated);
    return entry;
  }

  /** The holder hands the conversation back to the bot, which resumes and asks for a rating. */
  async release(conversationId: string, agent: AgentIdentity): Promise<ConversationRecord> {
    const record = await this.requireHolder(conversationId, agent, 'release');
    const updated = await this.change(record, 'release', {});
    await this.dispatch(updated, { state: 'completed' });
    return updated;
  }

  /** Closes a conversation: the holder's (the bot then says goodbye and asks for a rating) or a bot-only one. */
  async close(conversationId: string, agent: AgentIdentity): Promise<ConversationRecord> {
    const record = await this.require(conversationId);
    if (record.handoffState === 'agent') await this.requireHolder(conversationId, agent, 'close');
    const updated = await this.change(record, 'close', { waitingSince: null });
    if (record.handoffState === 'agent') await this.dispatch(updated, { state: 'completed' });
    return updated;
  }

  /** Fails queued handoffs that waited longer than HANDOFF_MAX_WAIT_SECONDS; returns how many. Run periodically. */
  async sweep(): Promise<number> {
    const cutoff = this.now().getTime() - this.options.maxWaitSeconds * 1000;
    let failed = 0;
    for (const record of await this.queue()) {
      if (record.waitingSince === null || Date.parse(record.waitingSince) > cutoff) continue;
      const updated = await this.conversations.update(
        record.conversationId,
        { handoffState: transition('queued', 'fail'), waitingSince: null },
        'queued',
      );
      if (!updated) continue; // taken over or cancelled meanwhile
      failed += 1;
      this.notify(record, 'queued', 'fail');
      await this.publish(updated);
      await this.dispatch(updated, { state: 'failed', reason: 'no_agent' });
    }
    if (failed > 0) await this.publishQueue();
    return failed;
  }

  /** Tells the bot that the handoff failed outside office hours (called once the requesting turn has ended). */
  async notifyOutOfHours(conversationId: string): Promise<void> {
    const record = await this.require(conversationId);
    await this.dispatch(record, { state: 'failed', reason: 'out_of_hours' });
  }

  /** The console's view of a record, with its queue position. */
  async summarize(record: ConversationRecord): Promise<ConversationSummary> {
    const { reference: _reference, ...rest } = record;
    let queuePosition: number | null = null;
    if (record.handoffState === 'queued') {
      const index = (await this.queue()).findIndex((r) => r.conversationId === record.conversationId);
      queuePosition = index < 0 ? null : index + 1;
    }
    return { ...rest, queuePosition };
  }

  /** Queued conversations, longest waiting first. */
  async queue(): Promise<ConversationRecord[]> {
    const queued = await this.conversations.list({ states: ['queued'], limit: 10_000 });
    return queued.sort((a, b) => (a.waitingSince ?? a.lastActivityAt).localeCompare(b.waitingSince ?? b.lastActivityAt));
  }

  private async require(conversationId: string): Promise<ConversationRecord> {
    const record = await this.conversations.get(conversationId);
    if (!record) throw new HandoffError('CONVERSATION_NOT_FOUND', `conversation ${conversationId} does not exist`);
    return record;
  }

  private async requireHolder(conversationId: string, agent: AgentIdentity, operation: string): Promise<ConversationRecord> {
    const record = await this.require(conversationId);
    if (record.handoffState !== 'agent' || record.assignedAgent !== agent.username) {
      throw new HandoffError('HANDOFF_NOT_HOLDER', `${operation}(): only the staff member who took ${conversationId} over may do this`);
    }
    return record;
  }

  /** transition() + compare-and-set; a concurrent change surfaces as HANDOFF_CONFLICT. */
  private async change(record: ConversationRecord, event: HandoffEvent, patch: ConversationPatch): Promise<ConversationRecord> {
    let next: HandoffState;
    try {
      next = transition(record.handoffState, event);
    } catch (error) {
      throw new HandoffError('HANDOFF_INVALID_TRANSITION', (error as Error).message);
    }
    const updated = await this.conversations.update(record.conversationId, { ...patch, handoffState: next }, record.handoffState);
    if (!updated) throw new HandoffError('HANDOFF_CONFLICT', `conversation ${record.conversationId} changed meanwhile; reload it`);
    this.notify(record, record.handoffState, event);
    await this.publish(updated);
    return updated;
  }

  /** Reports a committed change; `before` is the record as it was (its waitingSince gives the queue wait). */
  private notify(before: ConversationRecord, from: HandoffState, event: HandoffEvent): void {
    const observer = this.options.onTransition;
    if (!observer) return;
    const waitedSeconds =
      from === 'queued' && before.waitingSince ? Math.max(0, (this.now().getTime() - Date.parse(before.waitingSince)) / 1000) : undefined;
    observer({
      conversationId: before.conversationId,
      from,
      event,
      to: transition(from, event),
      ...(waitedSeconds !== undefined ? { waitedSeconds } : {}),
    });
  }

  private async dispatch(record: ConversationRecord, status: HandoffStatus): Promise<void> {
    try {
      await this.options.channel.dispatchStatus(record, status);
    } catch (error) {
      this.options.onError(error, `dispatch handoff.status ${status.state} to ${record.conversationId}`);
    }
  }

  private async publish(record: ConversationRecord): Promise<void> {
    this.options.live.publish({ type: 'conversation', conversation: await this.summarize(record) });
  }

  /** Queue positions shift for everyone behind a change. */
  private async publishQueue(except?: string): Promise<void> {
    const queue = await this.queue();
    for (const [index, record] of queue.entries()) {
      if (record.conversationId === except) continue;
      const { reference: _reference, ...rest } = record;
      this.options.live.publish({ type: 'conversation', conversation: { ...rest, queuePosition: index + 1 } });
    }
  }
}
