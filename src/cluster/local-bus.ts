import type { Logger } from '../logger.js';
import { checkPublish, checkTopic } from './bus-checks.js';
import type { ClusterBus } from './cluster-bus.js';
import { TopicHandlers } from './topic-handlers.js';

/**
 * The {@link ClusterBus} of a single instance (sqlite and memory storage). Delivery is asynchronous, like a real
 * bus's, and in publish order (microtasks run first in, first out). It never disconnects, so never reconnects.
 */
export class LocalBus implements ClusterBus {
  private readonly handlers: TopicHandlers;
  private closed = false;

  constructor(logger?: Logger) {
    this.handlers = new TopicHandlers(logger);
  }

  publish(topic: string, payload: string): Promise<void> {
    try {
      checkPublish('LocalBus.publish()', this.closed, topic, payload);
    } catch (error) {
      return Promise.reject(error);
    }
    queueMicrotask(() => {
      if (!this.closed) this.handlers.deliver(topic, payload);
    });
    return Promise.resolve();
  }

  subscribe(topic: string, handler: (payload: string) => void): () => void {
    checkTopic('LocalBus.subscribe()', topic);
    return this.handlers.add(topic, handler).unsubscribe;
  }

  onReconnect(_listener: () => void): () => void {
    return () => undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.handlers.clear();
  }
}
