import type { Database, Statement } from 'better-sqlite3';
import { SqliteGroupCommit } from './sqlite-group-commit.js';
import type { Rating, RatingRepository } from '../handoff/ports.js';

interface RatingRow {
  id: string;
  conversation_id: string;
  score: number;
  agent: string | null;
  created_at: string;
}

const DEFAULT_LIMIT = 200;

/** Sellers' 1-5 ratings in the `ratings` table (the column CHECK refuses anything else). */
export class SqliteRatingRepository implements RatingRepository {
  private readonly insert: Statement<RatingRow>;
  private readonly listNewest: Statement<[number], RatingRow>;

  private readonly commits: SqliteGroupCommit;

  constructor(db: Database) {
    this.commits = SqliteGroupCommit.for(db);
    this.insert = db.prepare(
      `INSERT OR REPLACE INTO ratings (id, conversation_id, score, agent, created_at)
       VALUES (@id, @conversation_id, @score, @agent, @created_at)`,
    );
    this.listNewest = db.prepare(
      'SELECT id, conversation_id, score, agent, created_at FROM ratings ORDER BY created_at DESC LIMIT ?',
    );
  }

  async add(rating: Rating): Promise<void> {
    this.commits.join();
    this.insert.run({
      id: rating.id,
      conversation_id: rating.conversationId,
      score: rating.score,
      agent: rating.agent,
      created_at: rating.createdAt,
    });
    await this.commits.durable();
  }

  async list(options: { readonly limit?: number } = {}): Promise<Rating[]> {
    return this.listNewest.all(options.limit ?? DEFAULT_LIMIT).map((row) => ({
      id: row.id,
      conversationId: row.conversation_id,
      score: row.score,
      agent: row.agent,
      createdAt: row.created_at,
    }));
  }
}
