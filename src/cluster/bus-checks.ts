import { BusError } from './bus-error.js';
import { MAX_BUS_PAYLOAD_BYTES } from './cluster-bus.js';

/** Topics are short dotted names (`console.live`), so that a channel name stays within PostgreSQL's 63 bytes. */
const TOPIC = /^[a-z][a-z0-9_.-]{0,31}$/;

/** The checks every {@link ClusterBus} makes before publishing; throws a {@link BusError}. */
export function checkPublish(operation: string, closed: boolean, topic: string, payload: string): void {
  if (closed) throw new BusError('BUS_CLOSED', `${operation}: the bus is closed`);
  checkTopic(operation, topic);
  const bytes = Buffer.byteLength(payload, 'utf8');
  if (bytes > MAX_BUS_PAYLOAD_BYTES) {
    throw new BusError('BUS_PAYLOAD_TOO_LARGE', `${operation}: payload of ${bytes} bytes exceeds ${MAX_BUS_PAYLOAD_BYTES}`);
  }
}

export function checkTopic(operation: string, topic: string): void {
  if (!TOPIC.test(topic)) throw new BusError('BUS_BAD_TOPIC', `${operation}: topic "${topic}" must match ${TOPIC}`);
}
