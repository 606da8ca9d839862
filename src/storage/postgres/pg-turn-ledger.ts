import type pg from 'pg';
import type { TurnClaim, TurnLedger } from '../../channels/directline/turn-ledger.js';
import { int8 } from './pg-text.js';

/** Lease times use the database's clock, the one clock every instance shares. */
const LEASE = `now() + $3 * interval '1 millisecond'`;

/** {@link TurnLedger} on the Direct Line conversation rows (columns of migration 3); each call is one statement. */
export class PgTurnLedger implements TurnLedger {
  constructor(private readonly pool: pg.Pool) {}

  async claim(conversationId: string, owner: string, leaseMs: number): Promise<TurnClaim | undefined> {
    const { rows } = await this.pool.query<{ turn_watermark: string; last_seller_watermark: string }>(
      `UPDATE directline_conversations SET turn_owner = $2, turn_lease_until = ${LEASE}
        WHERE id = $1 AND (turn_owner IS NULL OR turn_owner = $2 OR turn_lease_until < now())
        RETURNING turn_watermark, last_seller_watermark`,
      [conversationId, owner, leaseMs],
    );
    const row = rows[0];
    return row ? { turnWatermark: int8(row.turn_watermark), sellerWatermark: int8(row.last_seller_watermark) } : undefined;
  }

  async advance(conversationId: string, owner: string, watermark: number, leaseMs: number): Promise<boolean> {
    const result = await this.pool.query(
      `UPDATE directline_conversations
          SET turn_watermark = GREATEST(turn_watermark, $4),
              seller_turns_run = seller_turns_run + CASE WHEN $4 > turn_watermark THEN 1 ELSE 0 END,
              turn_lease_until = ${LEASE}
        WHERE id = $1 AND turn_owner = $2`,
      [conversationId, owner, leaseMs, watermark],
    );
    return result.rowCount === 1;
  }

  async renew(conversationId: string, owner: string, leaseMs: number): Promise<boolean> {
    const result = await this.pool.query(
      `UPDATE directline_conversations SET turn_lease_until = ${LEASE} WHERE id = $1 AND turn_owner = $2`,
      [conversationId, owner, leaseMs],
    );
    return result.rowCount === 1;
  }

  async release(conversationId: string, owner: string): Promise<boolean> {
    const { rows } = await this.pool.query<{ waiting: boolean }>(
      `UPDATE directline_conversations SET turn_owner = NULL, turn_lease_until = NULL
        WHERE id = $1 AND turn_owner = $2
        RETURNING last_seller_watermark > turn_watermark AS waiting`,
      [conversationId, owner],
    );
    return rows[0]?.waiting ?? false;
  }

  async stranded(limit: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT id FROM directline_conversations
        WHERE last_seller_watermark > turn_watermark AND (turn_owner IS NULL OR turn_lease_until < now())
        LIMIT $1`,
      [limit],
    );
    return rows.map((row) => row.id);
  }
}
