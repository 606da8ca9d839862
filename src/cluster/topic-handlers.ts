import type { Logger } from '../logger.js';

type Handler = (payload: string) => void;

/** Subscribers per topic, shared by the bus implementations; a throwing handler is logged and the others still run. */
export class TopicHandlers {
  private readonly byTopic = new Map<string, Set<Handler>>();

  constructor(private readonly logger?: Logger) {}

  /** Returns the unsubscribe function and whether this was the topic's first handler. */
  add(topic: string, handler: Handler): { unsubscribe: () => void; first: boolean } {
    let handlers = this.byTopic.get(topic);
    const first = handlers === undefined;
    if (!handlers) this.byTopic.set(topic, (handlers = new Set()));
    // A wrapper, so that subscribing the same function twice gives two deliveries and two independent unsubscribes.
    const entry: Handler = (payload) => handler(payload);
    handlers.add(entry);
    return {
      first,
      unsubscribe: () => {
        handlers.delete(entry);
        if (handlers.size === 0 && this.byTopic.get(topic) === handlers) this.byTopic.delete(topic);
      },
    };
  }

  topics(): string[] {
    return [...this.byTopic.keys()];
  }

  has(topic: string): boolean {
    return this.byTopic.has(topic);
  }

  deliver(topic: string, payload: string): void {
    for (const handler of this.byTopic.get(topic) ?? []) {
      try {
        handler(payload);
      } catch (error) {
        this.logger?.error({ err: error, topic }, 'ClusterBus: a subscriber threw');
      }
    }
  }

  clear(): void {
    this.byTopic.clear();
  }
}
