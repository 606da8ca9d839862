import type { ClusterBus } from '../cluster/cluster-bus.js';
import { PgNotifyBus } from '../cluster/pg-notify-bus.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { createMemoryStores } from './create-memory-stores.js';
import { createSqliteStores } from './create-sqlite-stores.js';
import { createPgStores, pgStoresOptions } from './postgres/create-pg-stores.js';
import type { Stores } from './stores.js';

/** The stores of the configured STORAGE, and the bus its instances share (only PostgreSQL can have several). */
export interface Storage {
  readonly stores: Stores;
  /** PostgreSQL LISTEN/NOTIFY between the instances on one database; undefined for SQLite and memory. */
  readonly bus: ClusterBus | undefined;
  /** Resolves once every bus subscription made so far is listening (call before serving). */
  listening(): Promise<void>;
  /** Closes the bus, then the stores. */
  close(): Promise<void>;
}

/** Opens STORAGE=sqlite (default), memory or postgres (with its bus, so any instance can serve any request). */
export async function openStorage(config: Config, logger: Logger): Promise<Storage> {
  if (config.STORAGE !== 'postgres') {
    const stores = config.STORAGE === 'sqlite' ? createSqliteStores(config.DATA_DIR, logger) : createMemoryStores(logger);
    return { stores, bus: undefined, listening: async () => undefined, close: async () => stores.close() };
  }
  const options = pgStoresOptions(config);
  const stores = await createPgStores(options, logger);
  let bus: PgNotifyBus;
  try {
    bus = await PgNotifyBus.open({ connectionString: options.connectionString, schema: stores.database.schema, pool: stores.database.pool, logger });
  } catch (error) {
    await stores.close();
    throw error;
  }
  return {
    stores,
    bus,
    listening: () => bus.whenListening(),
    close: async () => {
      await bus.close();
      await stores.close();
    },
  };
}
