import type { Activity } from 'botbuilder';
import type pg from 'pg';
import type { AsyncConversationStore } from '../../channels/directline/async-conversation-store.js';
import type { StoredActivity, StoredConversation } from '../../channels/directline/conversation-store.js';
import { StorageError } from '../storage-error.js';
import { int8 } from './pg-text.js';

/** Takes the next watermark on the (locked) conversation row and stores the activity under it, in one statement. */
const APPEND = `WITH next AS (
    UPDATE directline_conversations SET last_watermark = last_watermark + 1 WHERE id = $1 RETURNING last_watermark
  )
  INSERT INTO directline_activities (conversation_id, watermark, json)
  SELECT $1, last_watermark, $2 FROM next
  RETURNING watermark`;

/** The Direct Line history in PostgreSQL ({@link AsyncConversationStore}): each write has committed when it resolves. */
export class PgConversationStore implements AsyncConversationStore {
  constructor(private readonly pool: pg.Pool) {}

  async createConversation(conversation: StoredConversation): Promise<void> {
    const result = await this.pool.query(
      `INSERT INTO directline_conversations (id, user_id, locale, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO NOTHING`,
      [conversation.id, conversation.userId, conversation.locale, conversation.createdAt],
    );
    if (result.rowCount === 0) {
      throw new StorageError('STORAGE_ALREADY_EXISTS', `createConversation(): conversation ${conversation.id} already exists`);
    }
  }

  async getConversation(conversationId: string): Promise<StoredConversation | undefined> {
    const { rows } = await this.pool.query<{ id: string; user_id: string; locale: string; created_at: string }>(
      'SELECT id, user_id, locale, created_at FROM directline_conversations WHERE id = $1',
      [conversationId],
    );
    const row = rows[0];
    return row ? { id: row.id, userId: row.user_id, locale: row.locale, createdAt: row.created_at } : undefined;
  }

  async appendActivity(conversationId: string, activity: Partial<Activity>): Promise<number> {
    const { rows } = await this.pool.query<{ watermark: string }>(APPEND, [conversationId, JSON.stringify(activity)]);
    if (!rows[0]) throw new StorageError('STORAGE_NOT_FOUND', `appendActivity(): unknown conversation ${conversationId}`);
    return int8(rows[0].watermark);
  }

  async activitiesAfter(conversationId: string, watermark: number, limit?: number): Promise<StoredActivity[]> {
    // LIMIT NULL is no limit.
    const { rows } = await this.pool.query<{ watermark: string; json: string }>(
      `SELECT watermark, json FROM directline_activities WHERE conversation_id = $1 AND watermark > $2
       ORDER BY watermark LIMIT $3`,
      [conversationId, Math.max(0, Math.floor(watermark)), limit === undefined ? null : Math.max(0, limit)],
    );
    return rows.map((row) => ({ watermark: int8(row.watermark), activity: JSON.parse(row.json) as Partial<Activity> }));
  }

  async lastWatermark(conversationId: string): Promise<number> {
    const { rows } = await this.pool.query<{ last_watermark: string }>(
      'SELECT last_watermark FROM directline_conversations WHERE id = $1',
      [conversationId],
    );
    return rows[0] ? int8(rows[0].last_watermark) : 0;
  }
}
