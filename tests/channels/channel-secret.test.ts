import { describe, expect, it } from 'vitest';
import { channelSecretFor, resolveSharedChannelSecret } from '../../src/channels/directline/channel-secret.js';
import { PgSharedSettings } from '../../src/storage/postgres/pg-shared-settings.js';
import { pgTestFileSchema } from '../storage/pg-test-schema.js';
import { makeTempDataDir } from '../storage/temp-data-dir.js';

const pgSchema = pgTestFileSchema();

describe('channel secret shared through PostgreSQL', () => {
  it('instances starting together all get the secret of the first one to store it', async () => {
    const test = await pgSchema.open();
    try {
      const pools = [test.database, await test.another(), await test.another()].map((database) => new PgSharedSettings(database.pool));
      const secrets = await Promise.all(pools.map((settings) => resolveSharedChannelSecret('', settings)));
      expect(new Set(secrets).size).toBe(1);
      expect(secrets[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
      // A restart reads it back; a configured secret still wins.
      expect(await channelSecretFor('', '/nonexistent', pools[0])).toBe(secrets[0]);
      expect(await channelSecretFor('configured-secret-0123', '/nonexistent', pools[0])).toBe('configured-secret-0123');
      await expect(resolveSharedChannelSecret('short', pools[0]!)).rejects.toThrow(/16 characters/);
    } finally {
      await test.dispose();
    }
  });

  it('without shared settings it is kept in DATA_DIR, as before', async () => {
    const temp = makeTempDataDir();
    try {
      const first = await channelSecretFor('', temp.dir, undefined);
      expect(await channelSecretFor('', temp.dir, undefined)).toBe(first);
    } finally {
      temp.remove();
    }
  });
});
