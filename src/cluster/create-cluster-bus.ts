import type pg from 'pg';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { ClusterBus } from './cluster-bus.js';
import { LocalBus } from './local-bus.js';
import { PgNotifyBus } from './pg-notify-bus.js';

/** The bus of this instance, as the composition root needs it. */
export interface InstanceBus {
  readonly bus: ClusterBus;
  /** Whether other instances may be on it (STORAGE=postgres); with one instance, in-process state needs no relay. */
  readonly shared: boolean;
  /** Resolves once every subscription made so far receives messages; await it before serving. */
  ready(): Promise<void>;
}

/**
 * PostgreSQL LISTEN/NOTIFY on the storage's database when STORAGE=postgres (the instances share it), else in
 * process. Rejects when the listening connection cannot be opened.
 */
export async function createClusterBus(config: Config, pool: pg.Pool | undefined, logger: Logger): Promise<InstanceBus> {
  if (config.STORAGE !== 'postgres' || pool === undefined || config.DATABASE_URL === undefined) {
    return { bus: new LocalBus(logger), shared: false, ready: async () => undefined };
  }
  const bus = await PgNotifyBus.open({ connectionString: config.DATABASE_URL, schema: config.DATABASE_SCHEMA, pool, logger });
  return { bus, shared: true, ready: () => bus.whenListening() };
}
