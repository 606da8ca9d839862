import { z } from 'zod';
import type { ClusterBus } from '../../cluster/cluster-bus.js';
import type { Logger } from '../../logger.js';

/** Bus topic on which instances announce that a conversation's history grew. */
export const HISTORY_TOPIC = 'directline.history';

const announcementSchema = z.object({ c: z.string().min(1).max(256), w: z.number().int().positive() });

/**
 * Tells the other instances that a conversation's history now reaches a watermark (they read the activities from
 * the database: a notification carries ids, never content, so its size is bounded), and hears theirs.
 */
export class HistoryAnnouncements {
  constructor(
    private readonly bus: ClusterBus,
    private readonly logger: Logger,
  ) {}

  announce(conversationId: string, watermark: number): void {
    this.bus.publish(HISTORY_TOPIC, JSON.stringify({ c: conversationId, w: watermark })).catch((error: unknown) => {
      // Streams on other instances catch up at the next announcement or reconnect; nothing stored is lost.
      this.logger.warn({ err: error, conversation: conversationId }, 'HistoryAnnouncements: announce failed');
    });
  }

  /** Calls `advanced` for each announcement (any instance's, this one's too) and `resync` after a reconnect. */
  listen(advanced: (conversationId: string, watermark: number) => void, resync: () => void): () => void {
    const unsubscribe = this.bus.subscribe(HISTORY_TOPIC, (payload) => {
      const parsed = announcementSchema.safeParse(safeJson(payload));
      if (parsed.success) advanced(parsed.data.c, parsed.data.w);
      else this.logger.warn({ payload: payload.slice(0, 200) }, 'HistoryAnnouncements: ignored a malformed announcement');
    });
    const stopResync = this.bus.onReconnect(resync);
    return () => {
      unsubscribe();
      stopResync();
    };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
