import type { Activity } from 'botbuilder';
import type { Logger } from '../../logger.js';
import type { StoredActivity } from './conversation-store.js';
import type { RunTurn, TurnRunner } from './turn-runner.js';
import { TurnQueue } from './turn-queue.js';

/** {@link TurnRunner} of a single process: a queue per conversation, in the order activities were stored. */
export class LocalTurnRunner implements TurnRunner {
  private readonly queue = new TurnQueue();

  constructor(
    private readonly runTurn: RunTurn,
    private readonly logger: Logger,
  ) {}

  sellerActivityStored(conversationId: string, stored: StoredActivity): void {
    void this.run(conversationId, stored.activity);
  }

  run(conversationId: string, activity: Partial<Activity>, turnState?: ReadonlyMap<symbol, unknown>): Promise<void> {
    return this.queue.run(conversationId, () => this.runTurn(activity, turnState)).catch((error: unknown) => {
      // The adapter already gave the error to onTurnError; this is onTurnError itself failing.
      this.logger.error({ err: error, conversation: conversationId }, 'LocalTurnRunner: turn failed');
    });
  }

  pending(conversationId: string): number {
    return this.queue.pending(conversationId);
  }

  close(): Promise<void> {
    return this.queue.drain();
  }
}
