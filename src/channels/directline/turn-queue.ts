/**
 * Serializes work per key (conversation): a conversation's turns run one after another, so that its dialog
 * state is never read and written by two turns at once; different conversations run concurrently.
 */
export class TurnQueue {
  private readonly tails = new Map<string, { promise: Promise<void>; pending: number }>();

  /** Tasks queued or running for `key`. */
  pending(key: string): number {
    return this.tails.get(key)?.pending ?? 0;
  }

  /** Runs `task` after every task already queued for `key`; the returned promise settles with it. */
  run(key: string, task: () => Promise<void>): Promise<void> {
    const current = this.tails.get(key);
    const previous = current?.promise ?? Promise.resolve();
    const promise = previous.then(task, task);
    const entry = { promise: promise.catch(() => undefined), pending: (current?.pending ?? 0) + 1 };
    this.tails.set(key, entry);
    void entry.promise.then(() => {
      const latest = this.tails.get(key);
      if (!latest) return;
      latest.pending -= 1;
      if (latest.pending === 0) this.tails.delete(key);
    });
    return promise;
  }

  /** Resolves when every queued task has settled. */
  async drain(): Promise<void> {
    await Promise.all([...this.tails.values()].map((entry) => entry.promise));
  }
}
