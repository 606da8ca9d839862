import type { Activity } from 'botbuilder';
import type { Logger } from '../../logger.js';
import type { StoredActivity } from './conversation-store.js';

/** An open stream, seen by the channel as something that takes text frames. */
export interface StreamSink {
  send(frame: string): void;
  close(code: number, reason: string): void;
}

/** Reads durable history: activities after a watermark, oldest first, at most `limit`. */
export type HistoryReader = (conversationId: string, after: number, limit: number) => Promise<StoredActivity[]>;

/** One attached stream and how far it has been sent. */
interface Subscriber {
  readonly sink: StreamSink;
  /** Highest watermark sent (or replayed) to this stream. */
  sentUpTo: number;
  /** Operations waiting (history reads): while any is, new frames queue behind them to keep the order. */
  busy: number;
  /** Tail of this stream's operations, in order. */
  tail: Promise<void>;
}

/** Page size of replays and catch-ups. */
const PAGE = 500;

/**
 * Sends each open stream the history after its watermark, then every new activity, each exactly once and in
 * watermark order, whichever instance stored it. Activities stored here arrive with {@link delivered} (sent at once
 * when the stream is up to date); activities stored elsewhere are announced by {@link advanced} (read from the
 * history); any gap (a stream behind, an announcement out of order, a reconnected bus) is filled from the history.
 * Only conversations with an open stream are kept in memory.
 */
export class StreamHub {
  private readonly conversations = new Map<string, Set<Subscriber>>();

  constructor(
    private readonly read: HistoryReader,
    private readonly logger: Logger,
    /** The typing indicator shown after a seller message while the bot thinks (live frames only, never replays). */
    private readonly typingAfter: (activity: Partial<Activity>) => Partial<Activity> | undefined,
  ) {}

  /** Attaches a stream after `watermark`: replays the history, then follows. Returns the detach function. */
  attach(conversationId: string, watermark: number, sink: StreamSink): () => void {
    const subscriber: Subscriber = { sink, sentUpTo: watermark, busy: 0, tail: Promise.resolve() };
    let subscribers = this.conversations.get(conversationId);
    if (!subscribers) {
      subscribers = new Set();
      this.conversations.set(conversationId, subscribers);
    }
    subscribers.add(subscriber);
    this.enqueue(conversationId, subscriber, () => this.catchUp(conversationId, subscriber, Number.MAX_SAFE_INTEGER));
    return () => {
      const current = this.conversations.get(conversationId);
      if (!current) return;
      current.delete(subscriber);
      if (current.size === 0) this.conversations.delete(conversationId);
    };
  }

  /** Activities this instance stored (durable, consecutive watermarks): pushed as one frame. */
  delivered(conversationId: string, batch: readonly StoredActivity[]): void {
    const subscribers = this.conversations.get(conversationId);
    const last = batch.at(-1);
    if (!subscribers || !last) return;
    for (const subscriber of subscribers) {
      if (subscriber.busy === 0 && batch[0]!.watermark <= subscriber.sentUpTo + 1) this.sendBatch(subscriber, batch, true);
      else this.enqueue(conversationId, subscriber, () => this.catchUp(conversationId, subscriber, last.watermark, true));
    }
  }

  /** Another instance stored activities up to `watermark`: streams behind it read them from the history. */
  advanced(conversationId: string, watermark: number): void {
    for (const subscriber of this.conversations.get(conversationId) ?? []) {
      if (subscriber.sentUpTo < watermark) {
        this.enqueue(conversationId, subscriber, () => this.catchUp(conversationId, subscriber, watermark, true));
      }
    }
  }

  /** Announcements may have been missed (the bus reconnected): every stream reads what it lacks. */
  resync(): void {
    for (const [conversationId, subscribers] of this.conversations) {
      for (const subscriber of subscribers) {
        this.enqueue(conversationId, subscriber, () => this.catchUp(conversationId, subscriber, Number.MAX_SAFE_INTEGER, true));
      }
    }
  }

  /** Closes every stream (shutdown). */
  closeAll(code: number, reason: string): void {
    for (const subscribers of this.conversations.values()) for (const { sink } of subscribers) sink.close(code, reason);
  }

  get openStreams(): number {
    let count = 0;
    for (const subscribers of this.conversations.values()) count += subscribers.size;
    return count;
  }

  /** Conversations with at least one open stream. */
  conversationIds(): IterableIterator<string> {
    return this.conversations.keys();
  }

  private enqueue(conversationId: string, subscriber: Subscriber, operation: () => Promise<void>): void {
    subscriber.busy += 1;
    subscriber.tail = subscriber.tail
      .then(operation)
      .catch((error: unknown) => {
        // The stream misses nothing for good: the next announcement or a reconnect reads from its watermark again.
        this.logger.warn({ err: error, conversation: conversationId }, 'StreamHub: reading history for a stream failed');
      })
      .finally(() => {
        subscriber.busy -= 1;
      });
  }

  /** Reads and sends the history after the stream's watermark until it reaches `upTo` or the end. */
  private async catchUp(conversationId: string, subscriber: Subscriber, upTo: number, live = false): Promise<void> {
    while (subscriber.sentUpTo < upTo) {
      const page = await this.read(conversationId, subscriber.sentUpTo, PAGE);
      if (page.length === 0) return;
      this.sendBatch(subscriber, page, live && page.length < PAGE);
      if (page.length < PAGE) return;
    }
  }

  /** Sends the part of `batch` after the stream's watermark; a live frame ending with a seller message shows typing. */
  private sendBatch(subscriber: Subscriber, batch: readonly StoredActivity[], live: boolean): void {
    const fresh = batch.filter((entry) => entry.watermark > subscriber.sentUpTo);
    const last = fresh.at(-1);
    if (!last) return;
    const activities = fresh.map((entry) => entry.activity);
    const typing = live ? this.typingAfter(last.activity) : undefined;
    if (typing) activities.push(typing);
    subscriber.sentUpTo = last.watermark;
    subscriber.sink.send(JSON.stringify({ activities, watermark: String(last.watermark) }));
  }
}
