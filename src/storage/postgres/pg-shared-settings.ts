import type pg from 'pg';
import type { SharedSettings } from '../shared-settings.js';

/** {@link SharedSettings} in the `shared_settings` table: the first instance to store a value wins. */
export class PgSharedSettings implements SharedSettings {
  constructor(private readonly pool: pg.Pool) {}

  async getOrCreate(name: string, generate: () => string): Promise<string> {
    // Two statements on purpose: a conflicting insert waits for the other instance's commit, and only a statement
    // started after that (under READ COMMITTED) sees its row; a CTE would read the snapshot from before.
    await this.pool.query('INSERT INTO shared_settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, generate()]);
    const { rows } = await this.pool.query<{ value: string }>('SELECT value FROM shared_settings WHERE name = $1', [name]);
    const value = rows[0]?.value;
    if (value === undefined) throw new Error(`PgSharedSettings.getOrCreate(): "${name}" is missing right after it was stored`);
    return value;
  }
}
