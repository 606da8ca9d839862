import type pg from 'pg';
import type { Rating, RatingRepository } from '../../handoff/ports.js';

const DEFAULT_LIMIT = 200;

/** Sellers' 1-5 ratings in the `ratings` table (the column CHECK refuses anything else). */
export class PgRatingRepository implements RatingRepository {
  constructor(private readonly pool: pg.Pool) {}

  async add(rating: Rating): Promise<void> {
    await this.pool.query(
      `INSERT INTO ratings (id, conversation_id, score, agent, created_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET conversation_id = excluded.conversation_id, score = excluded.score,
         agent = excluded.agent, created_at = excluded.created_at`,
      [rating.id, rating.conversationId, rating.score, rating.agent, rating.createdAt],
    );
  }

  async list(options: { readonly limit?: number } = {}): Promise<Rating[]> {
    const { rows } = await this.pool.query<{ id: string; conversation_id: string; score: number; agent: string | null; created_at: string }>(
      'SELECT id, conversation_id, score, agent, created_at FROM ratings ORDER BY created_at DESC LIMIT $1',
      [options.limit ?? DEFAULT_LIMIT],
    );
    return rows.map((row) => ({
      id: row.id,
      conversationId: row.conversation_id,
      score: row.score,
      agent: row.agent,
      createdAt: row.created_at,
    }));
  }
}
