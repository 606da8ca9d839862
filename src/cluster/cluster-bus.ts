/**
 * Messages between the instances of one deployment. Implementations: in process (LocalBus, one instance) and
 * PostgreSQL LISTEN/NOTIFY (PgNotifyBus).
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
export const MAX_BUS_PAYLOAD_BYTES = 7900;
