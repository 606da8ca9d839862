import type { Database, Statement } from 'better-sqlite3';
import { SqliteGroupCommit } from './sqlite-group-commit.js';
import type { RecognitionLog, RecognitionRecord } from '../handoff/ports.js';

interface RecognitionRow {
  conversation_id: string;
  activity_id: string;
  text: string;
  intent: string;
  score: number;
  ambiguous: number;
  at: string;
}

const COLUMNS = 'conversation_id, activity_id, text, intent, score, ambiguous, at';

/** The {@link RecognitionLog} (intent and score per seller message) in the `recognitions` table. */
export class SqliteRecognitionLog implements RecognitionLog {
  private readonly insert: Statement<RecognitionRow>;
  private readonly byConversation: Statement<[string], RecognitionRow>;
  private readonly since: Statement<[string, number], RecognitionRow>;
  private readonly notUnderstood: Statement<[number], RecognitionRow>;

  private readonly commits: SqliteGroupCommit;

  constructor(db: Database) {
    this.commits = SqliteGroupCommit.for(db);
    this.insert = db.prepare(
      `INSERT INTO recognitions (${COLUMNS}) VALUES (@conversation_id, @activity_id, @text, @intent, @score, @ambiguous, @at)`,
    );
    this.byConversation = db.prepare(`SELECT ${COLUMNS} FROM recognitions WHERE conversation_id = ? ORDER BY seq`);
    this.since = db.prepare(`SELECT ${COLUMNS} FROM recognitions WHERE at >= ? ORDER BY at DESC, seq DESC LIMIT ?`);
    this.notUnderstood = db.prepare(
      `SELECT ${COLUMNS} FROM recognitions WHERE intent = 'none' ORDER BY at DESC, seq DESC LIMIT ?`,
    );
  }

  async append(record: RecognitionRecord): Promise<void> {
    this.commits.join();
    this.insert.run({
      conversation_id: record.conversationId,
      activity_id: record.activityId,
      text: record.text,
      intent: record.intent,
      score: record.score,
      ambiguous: record.ambiguous ? 1 : 0,
      at: record.at,
    });
    await this.commits.durable();
  }

  async listByConversation(conversationId: string): Promise<RecognitionRecord[]> {
    return this.byConversation.all(conversationId).map(fromRow);
  }

  async listSince(sinceIso: string, limit: number): Promise<RecognitionRecord[]> {
    return this.since.all(sinceIso, limit).map(fromRow);
  }

  async latestNotUnderstood(limit: number): Promise<RecognitionRecord[]> {
    return this.notUnderstood.all(limit).map(fromRow);
  }
}

function fromRow(row: RecognitionRow): RecognitionRecord {
  return {
    conversationId: row.conversation_id,
    activityId: row.activity_id,
    text: row.text,
    intent: row.intent,
    score: row.score,
    ambiguous: row.ambiguous === 1,
    at: row.at,
  };
}
