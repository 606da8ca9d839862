import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { HandoffTransitionRecord } from '../handoff/handoff-observer.js';
import type { LiveEvent } from '../handoff/live-events.js';
import { isIntentId } from '../nlu/intents.js';

/** Prefix of every product metric (the default process metrics keep their usual `process_` and `nodejs_` names). */
export const METRIC_PREFIX = 'cxtbot_';

/** Where a failure was counted in `cxtbot_errors_total`. */
export type ErrorSource = 'turn' | 'handoff' | 'http';

/** How a turn ended: the bot answered, or the turn threw (the seller got the apology). */
export type TurnOutcome = 'ok' | 'error';

/** Activity types counted by name; anything else is `other` (labels must stay a small fixed set). */
const TURN_TYPES = new Set(['message', 'conversationUpdate', 'event', 'invoke']);

/** Figures read at scrape time from the parts that own them. */
export interface MetricSources {
  /** Sellers waiting for a person now. */
  queueLength(): Promise<number>;
  /** Open Direct Line WebSocket streams now. */
  openStreams(): number;
}

/**
 * The product's Prometheus metrics, in a registry of its own: one per app instance, never prom-client's global
 * default registry (tests build several apps in one process, and a shared registry would mix or reject them).
 */
export class AppMetrics {
  readonly registry = new Registry();
  private readonly turns: Counter<'channel' | 'type' | 'outcome'>;
  private readonly turnSeconds: Histogram<'channel'>;
  private readonly recognitions: Counter<'intent'>;
  private readonly fallbacks: Counter;
  private readonly handoffs: Counter<'event' | 'state'>;
  private readonly queueWait: Histogram<'outcome'>;
  private readonly commitSeconds: Histogram;
  private readonly errors: Counter<'source'>;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.turns = new Counter({
      name: `${METRIC_PREFIX}turns_total`,
      help: 'Bot turns run, by channel, activity type and outcome (ok, or error: the turn threw and the seller got the apology).',
      labelNames: ['channel', 'type', 'outcome'],
      registers,
    });
    this.turnSeconds = new Histogram({
      name: `${METRIC_PREFIX}turn_duration_seconds`,
      help: 'Time from the start of a bot turn to its end, replies and their storage included.',
      labelNames: ['channel'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.recognitions = new Counter({
      name: `${METRIC_PREFIX}nlu_recognitions_total`,
      help: 'Seller messages run through the intent matcher, by recognised intent (none: not understood).',
      labelNames: ['intent'],
      registers,
    });
    this.fallbacks = new Counter({
      name: `${METRIC_PREFIX}nlu_fallbacks_total`,
      help: 'Seller messages the intent matcher did not understand (intent none).',
      registers,
    });
    this.handoffs = new Counter({
      name: `${METRIC_PREFIX}handoff_transitions_total`,
      help: 'Handoff state changes, by event (request, accept, cancel, fail, release, close, reopen) and the state reached.',
      labelNames: ['event', 'state'],
      registers,
    });
    new Gauge({
      name: `${METRIC_PREFIX}handoff_queue_length`,
      help: 'Sellers waiting in the queue for a person.',
      registers,
      async collect() {
        this.set(await sources.queueLength());
      },
    });
    this.queueWait = new Histogram({
      name: `${METRIC_PREFIX}handoff_queue_wait_seconds`,
      help: 'How long a seller waited in the queue, by how the wait ended (accept, cancel, fail).',
      labelNames: ['outcome'],
      buckets: [5, 15, 30, 60, 120, 300, 600, 1800],
      registers,
    });
    new Gauge({
      name: `${METRIC_PREFIX}directline_open_streams`,
      help: 'Open Direct Line WebSocket streams (web chat widgets connected).',
      registers,
      collect() {
        this.set(sources.openStreams());
      },
    });
    this.commitSeconds = new Histogram({
      name: `${METRIC_PREFIX}storage_commit_seconds`,
      help: 'Duration of each storage commit (one SQLite transaction per batch of writes).',
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
      registers,
    });
    this.errors = new Counter({
      name: `${METRIC_PREFIX}errors_total`,
      help: 'Failures, by source: turn (a bot turn threw), handoff (background handoff work failed), http (a 5xx answer).',
      labelNames: ['source'],
      registers,
    });
    // Present from the first scrape, so rates and alerts work before the first failure.
    for (const source of ['turn', 'handoff', 'http'] satisfies ErrorSource[]) this.errors.inc({ source }, 0);
  }

  /** A bot turn ended after `seconds`. */
  turnEnded(channel: string, activityType: string, outcome: TurnOutcome, seconds: number): void {
    const type = TURN_TYPES.has(activityType) ? activityType : 'other';
    this.turns.inc({ channel: boundedLabel(channel), type, outcome });
    this.turnSeconds.observe({ channel: boundedLabel(channel) }, seconds);
    if (outcome === 'error') this.errors.inc({ source: 'turn' });
  }

  /** Counts recognitions from the handoff's live events (the same record the console shows). */
  liveEvent(event: LiveEvent): void {
    if (event.type !== 'recognition') return;
    const intent = isIntentId(event.recognition.intent) ? event.recognition.intent : 'other';
    this.recognitions.inc({ intent });
    if (intent === 'none') this.fallbacks.inc();
  }

  /** A handoff state change; a seller leaving the queue also records how long they waited. */
  handoffTransition(change: HandoffTransitionRecord): void {
    this.handoffs.inc({ event: change.event, state: change.to });
    if (change.from === 'queued' && change.waitedSeconds !== undefined) {
      this.queueWait.observe({ outcome: change.event }, change.waitedSeconds);
    }
  }

  /** One storage commit took `seconds`. */
  storageCommit(seconds: number): void {
    this.commitSeconds.observe(seconds);
  }

  /** A failure outside a turn. */
  error(source: ErrorSource): void {
    this.errors.inc({ source });
  }

  /** The exposition text and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/** Bot Framework channel ids counted by name; a client of /api/messages may send any string, so others are `other`. */
const KNOWN_CHANNELS = new Set(['directline', 'webchat', 'emulator', 'msteams', 'slack', 'telegram', 'facebook', 'line', 'email', 'sms', 'test']);

function boundedLabel(channel: string): string {
  return KNOWN_CHANNELS.has(channel) ? channel : 'other';
}
