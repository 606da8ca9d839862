import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { LiveEvent, LiveHub } from '../handoff/live-events.js';
import type { Logger } from '../logger.js';
import { MAX_BUS_PAYLOAD_BYTES, type ClusterBus } from './cluster-bus.js';
import { fitLiveEvent } from './live-event-fit.js';

/** Bus topic of the console's live events. */
export const LIVE_TOPIC = 'console.live';

/** Options of {@link bridgeLiveHub}. */
export interface LiveHubBridgeOptions {
  readonly hub: LiveHub;
  readonly bus: ClusterBus;
  readonly logger: Logger;
  /** Tells this instance's own messages apart when the bus brings them back; random by default. */
  readonly instanceId?: string;
}

/** The bus message: who sent it, and the event. Instances of one deployment run one build, so the event is trusted. */
const envelopeSchema = z.object({
  from: z.string(),
  event: z.looseObject({ type: z.enum(['conversation', 'activity', 'recognition', 'callback', 'rating', 'resync']) }),
});

/**
 * Relays a {@link LiveHub} across instances over the {@link ClusterBus}, so that a console connected to any instance
 * sees what happens on all of them. Local listeners still get local events at once from the hub itself (no round
 * trip, no dependence on the bus); only `local` events go out, and the bus's echo of our own messages is dropped,
 * so each listener sees each event exactly once.
 *
 * An event too large for one notification (a seller may send 8,000 characters, three bytes each in Chinese) is
 * relayed with its long texts shortened and `truncated: true`: the console still shows the line in place and in
 * order, and the full text is in the transcript when the conversation is opened. A "changed, re-fetch" event was
 * not chosen: a bot reply is published before the transcript has recorded it, so a re-fetch could miss the line.
 * Only when even that does not fit, and after the bus lost messages, is a `resync` (reload what is shown) sent.
 *
 * Returns the function that stops relaying.
 */
export function bridgeLiveHub(options: LiveHubBridgeOptions): () => void {
  const { hub, bus, logger } = options;
  const from = options.instanceId ?? randomUUID();
  const encode = (event: LiveEvent) => JSON.stringify({ from, event });
  // A failed publish leaves the others behind: the next message that gets through tells them to reload first.
  let othersMissedSome = false;

  const send = (payload: string): void => {
    bus.publish(LIVE_TOPIC, payload).catch((error: unknown) => {
      othersMissedSome = true;
      logger.warn({ err: error }, 'bridgeLiveHub(): could not relay a live event to the other instances');
    });
  };

  const stopLocal = hub.subscribe((event, origin) => {
    if (origin !== 'local') return;
    if (othersMissedSome) {
      othersMissedSome = false;
      send(encode({ type: 'resync' }));
    }
    const payload = fitLiveEvent(event, MAX_BUS_PAYLOAD_BYTES, encode);
    if (payload === undefined) logger.warn({ type: event.type }, 'bridgeLiveHub(): event too large even shortened; sent resync');
    send(payload ?? encode({ type: 'resync' }));
  });

  const stopBus = bus.subscribe(LIVE_TOPIC, (payload) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      parsed = undefined;
    }
    const envelope = envelopeSchema.safeParse(parsed);
    if (!envelope.success) return logger.warn({ bytes: payload.length }, 'bridgeLiveHub(): dropped a malformed bus message');
    if (envelope.data.from === from) return;
    hub.publish(envelope.data.event as LiveEvent, 'remote');
  });

  const stopReconnect = bus.onReconnect(() => hub.publish({ type: 'resync' }, 'remote'));

  return () => {
    stopLocal();
    stopBus();
    stopReconnect();
  };
}
