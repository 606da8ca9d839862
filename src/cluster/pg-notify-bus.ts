import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../logger.js';
import { checkPublish, checkTopic } from './bus-checks.js';
import type { ClusterBus } from './cluster-bus.js';
import { TopicHandlers } from './topic-handlers.js';

/** Options of {@link PgNotifyBus.open}. */
export interface PgNotifyBusOptions {
  /** Where the listening connection goes (the database of the pool). */
  readonly connectionString: string;
  /** DATABASE_SCHEMA: channel names include it, so deployments and test schemas sharing a database never cross. */
  readonly schema: string;
  /** Publishing goes through the storage's pool (a NOTIFY is one short statement). */
  readonly pool: pg.Pool;
  readonly logger: Logger;
  /** application_name of the listening connection (pg_stat_activity); default `cxt-bot-bus`. */
  readonly applicationName?: string;
  /** Wait before the first reconnection attempt, doubled after each failure up to `reconnectMaxMs`. */
  readonly reconnectFirstMs?: number;
  readonly reconnectMaxMs?: number;
}

/** Defaults of {@link PgNotifyBusOptions}. */
export const PG_BUS_DEFAULTS = { applicationName: 'cxt-bot-bus', reconnectFirstMs: 100, reconnectMaxMs: 5000 } as const;

/** PostgreSQL truncates identifiers to 63 bytes: a longer channel name keeps the topic and hashes the schema. */
export function channelName(schema: string, topic: string): string {
  const plain = `cxt.${schema}.${topic}`;
  if (plain.length <= 63) return plain;
  return `cxt.${createHash('sha256').update(schema).digest('hex').slice(0, 24)}.${topic}`;
}

/** Messages per NOTIFY statement at most (each is at most MAX_BUS_PAYLOAD_BYTES). */
const MAX_BATCH = 50;

interface OutgoingMessage {
  readonly channel: string;
  readonly payload: string;
  resolve(): void;
  reject(error: unknown): void;
}

const quoted = (identifier: string): string => `"${identifier.replaceAll('"', '""')}"`;

/**
 * {@link ClusterBus} over PostgreSQL LISTEN/NOTIFY. One dedicated connection LISTENs (a pooled connection cannot:
 * LISTEN belongs to a session); publishing is `SELECT pg_notify(), ...` through the pool, one statement at a time
 * carrying every message queued meanwhile, so that one instance's messages commit, and so arrive everywhere, in
 * publish order. When the listening connection drops, it
 * is re-opened with backoff and the {@link onReconnect} listeners are told that messages may have been missed.
 */
export class PgNotifyBus implements ClusterBus {
  private readonly handlers: TopicHandlers;
  private readonly topicOfChannel = new Map<string, string>();
  private readonly reconnectListeners = new Set<() => void>();
  private client: pg.Client | undefined;
  /** LISTEN/UNLISTEN commands of the current connection, in order. */
  private listening: Promise<unknown> = Promise.resolve();
  /** Messages waiting for the statement that sends them (see flush). */
  private readonly outbox: OutgoingMessage[] = [];
  private flushing = false;
  /** The flush under way, awaited by close(). */
  private publishing: Promise<unknown> = Promise.resolve();
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelayMs: number;
  private closed = false;

  private constructor(private readonly options: PgNotifyBusOptions) {
    this.handlers = new TopicHandlers(options.logger);
    this.retryDelayMs = this.firstDelayMs;
  }

  /** Opens the listening connection; rejects when PostgreSQL cannot be reached (start-up then fails). */
  static async open(options: PgNotifyBusOptions): Promise<PgNotifyBus> {
    const bus = new PgNotifyBus(options);
    try {
      await bus.connect();
    } catch (error) {
      await bus.close();
      throw error;
    }
    return bus;
  }

  publish(topic: string, payload: string): Promise<void> {
    try {
      checkPublish('PgNotifyBus.publish()', this.closed, topic, payload);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<void>((resolve, reject) => {
      this.outbox.push({ channel: channelName(this.options.schema, topic), payload, resolve, reject });
      if (!this.flushing) this.publishing = this.flush();
    });
  }

  /**
   * Sends the queued messages, oldest first, as one statement per round trip: what is queued while a statement is
   * in flight goes out together in the next one. One statement's notifications arrive in the order they were sent,
   * so one instance's messages still arrive everywhere in publish order, at one round trip per batch, not per message.
   */
  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.outbox.length > 0) {
        const batch = this.outbox.splice(0, MAX_BATCH);
        const calls = batch.map((_, i) => `pg_notify($${2 * i + 1}, $${2 * i + 2})`).join(', ');
        try {
          await this.options.pool.query(`SELECT ${calls}`, batch.flatMap((message) => [message.channel, message.payload]));
          for (const message of batch) message.resolve();
        } catch (error) {
          for (const message of batch) message.reject(error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  subscribe(topic: string, handler: (payload: string) => void): () => void {
    checkTopic('PgNotifyBus.subscribe()', topic);
    const channel = channelName(this.options.schema, topic);
    this.topicOfChannel.set(channel, topic);
    const { first, unsubscribe } = this.handlers.add(topic, handler);
    if (first) this.command(`LISTEN ${quoted(channel)}`);
    return () => {
      unsubscribe();
      if (!this.handlers.has(topic) && !this.closed) this.command(`UNLISTEN ${quoted(channel)}`);
    };
  }

  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  /** Resolves once every subscription made so far is listening (tests, and start-up before serving). */
  async whenListening(): Promise<void> {
    await this.listening;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    this.handlers.clear();
    this.reconnectListeners.clear();
    await this.publishing;
    await client?.end().catch(() => undefined);
  }

  private get firstDelayMs(): number {
    return this.options.reconnectFirstMs ?? PG_BUS_DEFAULTS.reconnectFirstMs;
  }

  /** Queues a LISTEN/UNLISTEN on the current connection; without one, the next connection LISTENs anyway. */
  private command(sql: string): void {
    const client = this.client;
    if (!client) return;
    this.listening = this.listening
      .then(() => client.query(sql))
      .catch((error: unknown) => {
        // A dropped connection is reported by its 'end' handler, which reconnects and LISTENs again.
        if (client === this.client) this.options.logger.warn({ err: error, sql }, 'PgNotifyBus: command failed');
      });
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.options.connectionString,
      application_name: this.options.applicationName ?? PG_BUS_DEFAULTS.applicationName,
      // A half-open connection (peer vanished without a FIN) is found by TCP keep-alive and then ends.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    // Without an 'error' listener a dropped connection would kill the process; 'end' follows and reconnects.
    client.on('error', (error) => this.options.logger.warn({ err: error.message }, 'PgNotifyBus: listening connection failed'));
    client.on('end', () => this.onEnd(client));
    client.on('notification', (message) => {
      const topic = this.topicOfChannel.get(message.channel);
      if (topic !== undefined && !this.closed) this.handlers.deliver(topic, message.payload ?? '');
    });
    try {
      await client.connect();
      if (this.closed) throw new Error('closed while connecting');
      this.client = client;
      this.listening = Promise.resolve();
      for (const topic of this.handlers.topics()) this.command(`LISTEN ${quoted(channelName(this.options.schema, topic))}`);
      // The commands above swallow their errors; a connection that fails here ends and retries through onEnd.
      await client.query('SELECT 1');
      await this.listening;
    } catch (error) {
      if (this.client === client) this.client = undefined;
      await client.end().catch(() => undefined);
      throw error;
    }
  }

  private onEnd(client: pg.Client): void {
    if (this.closed || client !== this.client) return;
    this.client = undefined;
    this.options.logger.warn('PgNotifyBus: listening connection lost; reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer !== undefined) return;
    // Jitter, so that the instances of a cluster do not all come back in the same millisecond after a failover.
    const delay = this.retryDelayMs * (0.75 + Math.random() * 0.5);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect().then(
        () => {
          this.retryDelayMs = this.firstDelayMs;
          this.options.logger.info('PgNotifyBus: listening again');
          for (const listener of this.reconnectListeners) {
            try {
              listener();
            } catch (error) {
              this.options.logger.error({ err: error }, 'PgNotifyBus: a reconnect listener threw');
            }
          }
        },
        (error: unknown) => {
          if (this.closed) return;
          this.options.logger.warn({ err: error }, 'PgNotifyBus: reconnection failed; retrying');
          this.retryDelayMs = Math.min(this.retryDelayMs * 2, this.options.reconnectMaxMs ?? PG_BUS_DEFAULTS.reconnectMaxMs);
          this.scheduleReconnect();
        },
      );
    }, delay);
    this.retryTimer.unref();
  }
}
