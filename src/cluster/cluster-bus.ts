/**
 * Fan-out of small messages to every instance of the bot (issue 12: several instances behind a load balancer).
 * Implementations: {@link LocalBus} (one process; sqlite/memory storage) and {@link PgNotifyBus} (PostgreSQL
 * LISTEN/NOTIFY). Delivery is at most once: a message sent while an instance's connection is down is lost to that
 * instance, which is told through {@link ClusterBus.onReconnect} so that it re-reads the state it mirrors.
 */
export interface ClusterBus {
  /** Delivers `payload` to every subscriber of `topic` on every instance, this one included. Rejects when payload
   *  is larger than MAX_BUS_PAYLOAD_BYTES (PostgreSQL's NOTIFY limit is 8000 bytes) or the bus is closed. */
  publish(topic: string, payload: string): Promise<void>;
  /** Returns the unsubscribe function. Handlers must not throw (a throwing handler is logged, others still run). */
  subscribe(topic: string, handler: (payload: string) => void): () => void;
  /** Called after the bus lost and regained its connection: messages may have been missed, re-read state. */
  onReconnect(listener: () => void): () => void;
  close(): Promise<void>;
}

/** Largest payload, UTF-8 bytes: under PostgreSQL's 8000-byte NOTIFY limit, with room for the channel name. */
export const MAX_BUS_PAYLOAD_BYTES = 7900;
