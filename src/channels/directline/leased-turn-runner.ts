import { randomBytes } from 'node:crypto';
import type { Activity } from 'botbuilder';
import type { Logger } from '../../logger.js';
import type { AsyncConversationStore } from './async-conversation-store.js';
import type { StoredActivity } from './conversation-store.js';
import type { TurnClaim, TurnLedger } from './turn-ledger.js';
import type { RunTurn, TurnRunner } from './turn-runner.js';
import { TurnQueue } from './turn-queue.js';

/** Options of {@link LeasedTurnRunner}. */
export interface LeasedTurnRunnerOptions {
  readonly ledger: TurnLedger;
  readonly store: AsyncConversationStore;
  readonly runTurn: RunTurn;
  readonly logger: Logger;
  /** How long a lease lasts without renewal: how soon a killed instance's conversations are taken over. */
  readonly leaseMs: number;
  /** How often this instance looks for stranded conversations (waiting turns, no live lease). */
  readonly sweepMs: number;
  /** This instance's name in the ledger (default: random). */
  readonly owner?: string;
}

/** Seller activities read per history query while draining. */
const PAGE = 50;
/** A server event waits this many lease periods for the conversation's turns before it runs anyway. */
const EVENT_WAIT_LEASES = 2;

/**
 * {@link TurnRunner} for several instances on one database. The history is the queue: an instance that stores a
 * seller activity tries to take the conversation's lease and, if it gets it, runs the turns of every seller
 * activity after the ledger's turn watermark, oldest first, advancing the watermark after each. If another
 * instance holds the lease, that one picks the activity up: releasing the lease tells it whether any wait.
 * A killed instance's lease expires after `leaseMs`; the sweep then hands its conversations to a live instance.
 * A turn that outlives a lease that could not be renewed (e.g. a stalled process) may run twice: at-least-once.
 */
export class LeasedTurnRunner implements TurnRunner {
  private readonly queue = new TurnQueue();
  /** Conversations with a drain queued here that has not started yet: one queued drain serves every new activity. */
  private readonly drainQueued = new Set<string>();
  private readonly owner: string;
  private readonly sweeper: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: LeasedTurnRunnerOptions) {
    this.owner = options.owner ?? `instance-${randomBytes(6).toString('hex')}`;
    this.sweeper = setInterval(() => void this.sweep(), options.sweepMs);
    this.sweeper.unref();
  }

  sellerActivityStored(conversationId: string, _stored: StoredActivity): void {
    this.drainSoon(conversationId);
  }

  run(conversationId: string, activity: Partial<Activity>, turnState?: ReadonlyMap<symbol, unknown>): Promise<void> {
    return this.queue.run(conversationId, async () => {
      const claimed = await this.claimPatiently(conversationId);
      if (!claimed) {
        this.options.logger.warn({ conversation: conversationId }, 'LeasedTurnRunner: lease still held elsewhere; running the event anyway');
      }
      try {
        await this.runOne(conversationId, activity, turnState);
      } finally {
        if (claimed && (await this.releaseQuietly(conversationId))) this.drainSoon(conversationId);
      }
    });
  }

  pending(conversationId: string): number {
    return this.queue.pending(conversationId);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    await this.queue.drain();
  }

  private drainSoon(conversationId: string): void {
    if (this.closed || this.drainQueued.has(conversationId)) return;
    this.drainQueued.add(conversationId);
    void this.queue.run(conversationId, async () => {
      this.drainQueued.delete(conversationId);
      try {
        await this.drain(conversationId);
      } catch (error) {
        // The lease (if taken) expires and the sweep retries; nothing acknowledged is lost.
        this.options.logger.error({ err: error, conversation: conversationId }, 'LeasedTurnRunner: drain failed');
      }
    });
  }

  /** Runs the waiting seller turns while this instance can hold the lease. */
  private async drain(conversationId: string): Promise<void> {
    for (;;) {
      const claim = await this.options.ledger.claim(conversationId, this.owner, this.options.leaseMs);
      if (!claim) return;
      if (!(await this.runWaiting(conversationId, claim))) return;
      if (!(await this.options.ledger.release(conversationId, this.owner))) return;
    }
  }

  /** Runs every seller turn after the claim's watermark; false when the lease was lost on the way. */
  private async runWaiting(conversationId: string, claim: TurnClaim): Promise<boolean> {
    let after = claim.turnWatermark;
    for (;;) {
      const page = await this.options.store.activitiesAfter(conversationId, after, PAGE);
      for (const { watermark, activity } of page) {
        after = watermark;
        if (activity.from?.role !== 'user') continue;
        await this.runOne(conversationId, activity);
        if (!(await this.options.ledger.advance(conversationId, this.owner, watermark, this.options.leaseMs))) {
          this.options.logger.warn({ conversation: conversationId, watermark }, 'LeasedTurnRunner: lease lost during a turn');
          return false;
        }
      }
      if (page.length < PAGE) return true;
    }
  }

  /** One turn, with the lease renewed meanwhile (a turn may wait on `delay` activities). */
  private async runOne(conversationId: string, activity: Partial<Activity>, turnState?: ReadonlyMap<symbol, unknown>): Promise<void> {
    const renewal = setInterval(() => {
      this.options.ledger.renew(conversationId, this.owner, this.options.leaseMs).catch((error: unknown) => {
        this.options.logger.warn({ err: error, conversation: conversationId }, 'LeasedTurnRunner: lease renewal failed');
      });
    }, Math.max(100, this.options.leaseMs / 3));
    renewal.unref();
    try {
      await this.options.runTurn(activity, turnState);
    } catch (error) {
      // The adapter already gave the error to onTurnError; this is onTurnError itself failing. The turn counts as run.
      this.options.logger.error({ err: error, conversation: conversationId }, 'LeasedTurnRunner: turn failed');
    } finally {
      clearInterval(renewal);
    }
  }

  private async claimPatiently(conversationId: string): Promise<boolean> {
    const deadline = Date.now() + EVENT_WAIT_LEASES * this.options.leaseMs;
    for (let wait = 10; ; wait = Math.min(wait * 2, 500)) {
      if (await this.options.ledger.claim(conversationId, this.owner, this.options.leaseMs)) return true;
      if (Date.now() >= deadline || this.closed) return false;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  private async releaseQuietly(conversationId: string): Promise<boolean> {
    try {
      return await this.options.ledger.release(conversationId, this.owner);
    } catch (error) {
      this.options.logger.warn({ err: error, conversation: conversationId }, 'LeasedTurnRunner: release failed; the lease will expire');
      return false;
    }
  }

  private async sweep(): Promise<void> {
    if (this.closed) return;
    try {
      for (const conversationId of await this.options.ledger.stranded(20)) this.drainSoon(conversationId);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'LeasedTurnRunner: sweep failed');
    }
  }
}
