import type { Activity } from 'botbuilder';
import type pg from 'pg';
import {
  activityIdAt,
  type AsyncConversationStore,
  type NewActivity,
} from '../../channels/directline/async-conversation-store.js';
import type { StoredActivity, StoredConversation } from '../../channels/directline/conversation-store.js';
import { StorageError } from '../storage-error.js';
import { int8 } from './pg-text.js';

/**
 * Takes the batch's watermarks and timestamps on the (row-locked) conversation and stores the activities under them,
 * in one statement: the row lock numbers the activities of one conversation in order across instances, and the
 * database's clock gives every instance the same, strictly increasing timestamps. $2 batch size, $3 now (ms),
 * $4 whether the batch is the seller's (its turn is still to run), $5 the activities as JSON, $6 how many seller
 * turns may wait at most (a seller batch beyond it stores nothing: the backlog limit holds across instances).
 * (In UPDATE ... SET, every right-hand side reads the row as it was before the update.)
 */
const APPEND = `WITH next AS (
    UPDATE directline_conversations
       SET last_watermark = last_watermark + $2,
           last_timestamp_ms = GREATEST(last_timestamp_ms + $2, $3::bigint + $2 - 1),
           last_seller_watermark = CASE WHEN $4 THEN last_watermark + $2 ELSE last_seller_watermark END,
           seller_turns_stored = seller_turns_stored + CASE WHEN $4 THEN $2 ELSE 0 END
     WHERE id = $1 AND (NOT $4 OR seller_turns_stored - seller_turns_run + $2 <= $6)
     RETURNING last_watermark, last_timestamp_ms
  )
  INSERT INTO directline_activities (conversation_id, watermark, timestamp_ms, json)
  SELECT $1, next.last_watermark - $2 + a.i, next.last_timestamp_ms - $2 + a.i, a.json
    FROM next, unnest($5::text[]) WITH ORDINALITY AS a(json, i)
  RETURNING watermark, timestamp_ms`;

interface ActivityRow {
  watermark: string;
  timestamp_ms: string | null;
  json: string;
}

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

  async append(
    conversationId: string,
    activities: readonly NewActivity[],
    nowMs: number,
    fromSeller: boolean,
    maxWaitingTurns = Number.MAX_SAFE_INTEGER,
  ): Promise<StoredActivity[]> {
    if (activities.length === 0) return [];
    const { rows } = await this.pool.query<{ watermark: string; timestamp_ms: string }>(APPEND, [
      conversationId,
      activities.length,
      Math.floor(nowMs),
      fromSeller,
      activities.map((activity) => JSON.stringify(activity)),
      maxWaitingTurns,
    ]);
    if (rows.length === 0) {
      // Nothing stored: either no such conversation or its backlog is full; only this rare path reads again.
      if (await this.getConversation(conversationId)) {
        throw new StorageError('STORAGE_BACKLOG_FULL', `append(): ${maxWaitingTurns} turns already wait in ${conversationId}`);
      }
      throw new StorageError('STORAGE_NOT_FOUND', `append(): unknown conversation ${conversationId}`);
    }
    rows.sort((a, b) => int8(a.watermark) - int8(b.watermark));
    return rows.map((row, i) => ({
      watermark: int8(row.watermark),
      activity: stamped(conversationId, { ...activities[i]! }, int8(row.watermark), int8(row.timestamp_ms)),
    }));
  }

  async activitiesAfter(conversationId: string, watermark: number, limit?: number): Promise<StoredActivity[]> {
    // LIMIT NULL is no limit.
    const { rows } = await this.pool.query<ActivityRow>(
      `SELECT watermark, timestamp_ms, json FROM directline_activities WHERE conversation_id = $1 AND watermark > $2
       ORDER BY watermark LIMIT $3`,
      [conversationId, Math.max(0, Math.floor(watermark)), limit === undefined ? null : Math.max(0, limit)],
    );
    return rows.map((row) => {
      const activity = JSON.parse(row.json) as Partial<Activity>;
      const at = int8(row.watermark);
      // Rows from before migration 3 carry their id and timestamp inside the JSON.
      return { watermark: at, activity: row.timestamp_ms === null ? activity : stamped(conversationId, activity, at, int8(row.timestamp_ms)) };
    });
  }

  async lastWatermark(conversationId: string): Promise<number> {
    const { rows } = await this.pool.query<{ last_watermark: string }>(
      'SELECT last_watermark FROM directline_conversations WHERE id = $1',
      [conversationId],
    );
    return rows[0] ? int8(rows[0].last_watermark) : 0;
  }
}

function stamped(conversationId: string, activity: Partial<Activity>, watermark: number, timestampMs: number): Partial<Activity> {
  activity.id = activityIdAt(conversationId, watermark);
  activity.timestamp = new Date(timestampMs);
  return activity;
}
