import type pg from 'pg';
import type { RecognitionLog, RecognitionRecord } from '../../handoff/ports.js';
import { pgText } from './pg-text.js';

interface RecognitionRow {
  conversation_id: string;
  activity_id: string;
  text: string;
  intent: string;
  score: number;
  ambiguous: boolean;
  at: string;
}

const SELECT = 'SELECT conversation_id, activity_id, text, intent, score, ambiguous, at FROM recognitions';

/** The {@link RecognitionLog} (intent and score per seller message) in the `recognitions` table. */
export class PgRecognitionLog implements RecognitionLog {
  constructor(private readonly pool: pg.Pool) {}

  async append(record: RecognitionRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO recognitions (conversation_id, activity_id, text, intent, score, ambiguous, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [record.conversationId, record.activityId, pgText(record.text), record.intent, record.score, record.ambiguous, record.at],
    );
  }

  async listByConversation(conversationId: string): Promise<RecognitionRecord[]> {
    const { rows } = await this.pool.query<RecognitionRow>(`${SELECT} WHERE conversation_id = $1 ORDER BY seq`, [conversationId]);
    return rows.map(fromRow);
  }

  async listSince(sinceIso: string, limit: number): Promise<RecognitionRecord[]> {
    const { rows } = await this.pool.query<RecognitionRow>(`${SELECT} WHERE at >= $1 ORDER BY at DESC, seq DESC LIMIT $2`, [
      sinceIso,
      limit,
    ]);
    return rows.map(fromRow);
  }

  async latestNotUnderstood(limit: number): Promise<RecognitionRecord[]> {
    const { rows } = await this.pool.query<RecognitionRow>(
      `${SELECT} WHERE intent = 'none' ORDER BY at DESC, seq DESC LIMIT $1`,
      [limit],
    );
    return rows.map(fromRow);
  }
}

function fromRow(row: RecognitionRow): RecognitionRecord {
  return {
    conversationId: row.conversation_id,
    activityId: row.activity_id,
    text: row.text,
    intent: row.intent,
    score: row.score,
    ambiguous: row.ambiguous,
    at: row.at,
  };
}
