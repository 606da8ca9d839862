import type { Activity } from 'botbuilder';
import type { Database, Statement } from 'better-sqlite3';
import type {
  ConversationStore,
  StoredActivity,
  StoredConversation,
} from '../channels/directline/conversation-store.js';
import { SqliteGroupCommit } from './sqlite-group-commit.js';
import { StorageError } from './storage-error.js';

interface ConversationRow {
  id: string;
  user_id: string;
  locale: string;
  created_at: string;
}

/**
 * The Direct Line channel's {@link ConversationStore} in SQLite. Synchronous like the interface: writes join the
 * connection's group commit (see SqliteGroupCommit) and are on disk once `durable()` resolves, which the channel
 * awaits before it acknowledges a POST or pushes a reply.
 */
export class SqliteConversationStore implements ConversationStore {
  private readonly insertConversation: Statement<[string, string, string, string]>;
  private readonly selectConversation: Statement<[string], ConversationRow>;
  private readonly maxWatermark: Statement<[string], { last: number | null }>;
  private readonly insertActivity: Statement<[string, number, string]>;
  private readonly selectAfter: Statement<[string, number, number], { watermark: number; json: string }>;
  private readonly commits: SqliteGroupCommit;

  constructor(db: Database) {
    this.commits = SqliteGroupCommit.for(db);
    this.insertConversation = db.prepare(
      'INSERT INTO directline_conversations (id, user_id, locale, created_at) VALUES (?, ?, ?, ?)',
    );
    this.selectConversation = db.prepare(
      'SELECT id, user_id, locale, created_at FROM directline_conversations WHERE id = ?',
    );
    this.maxWatermark = db.prepare('SELECT MAX(watermark) AS last FROM directline_activities WHERE conversation_id = ?');
    this.insertActivity = db.prepare(
      'INSERT INTO directline_activities (conversation_id, watermark, json) VALUES (?, ?, ?)',
    );
    this.selectAfter = db.prepare(
      `SELECT watermark, json FROM directline_activities
       WHERE conversation_id = ? AND watermark > ? ORDER BY watermark LIMIT ?`,
    );
  }

  createConversation(conversation: StoredConversation): void {
    this.commits.join();
    try {
      this.insertConversation.run(conversation.id, conversation.userId, conversation.locale, conversation.createdAt);
      // Committed now, as before the group commit: the caller hands out a token for it without waiting.
      this.commits.commitNow();
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        throw new StorageError('STORAGE_ALREADY_EXISTS', `createConversation(): conversation ${conversation.id} already exists`);
      }
      throw error;
    }
  }

  getConversation(conversationId: string): StoredConversation | undefined {
    const row = this.selectConversation.get(conversationId);
    return row ? { id: row.id, userId: row.user_id, locale: row.locale, createdAt: row.created_at } : undefined;
  }

  appendActivity(conversationId: string, activity: Partial<Activity>): number {
    // The batch holds the write lock, so MAX + INSERT cannot interleave with another writer; the foreign key
    // tells an unknown conversation apart without reading it first.
    this.commits.join();
    const watermark = (this.maxWatermark.get(conversationId)?.last ?? 0) + 1;
    try {
      this.insertActivity.run(conversationId, watermark, JSON.stringify(activity));
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
        throw new StorageError('STORAGE_NOT_FOUND', `appendActivity(): unknown conversation ${conversationId}`);
      }
      throw error;
    }
    return watermark;
  }

  durable(): Promise<void> {
    return this.commits.durable();
  }

  commit(): void {
    this.commits.commitNow();
  }

  activitiesAfter(conversationId: string, watermark: number, limit?: number): StoredActivity[] {
    const after = Number.isFinite(watermark) ? Math.max(0, Math.floor(watermark)) : 0;
    // LIMIT -1 is SQLite's "no limit".
    const max = limit === undefined || !Number.isFinite(limit) ? -1 : Math.max(0, Math.floor(limit));
    return this.selectAfter.all(conversationId, after, max).map((row) => ({
      watermark: row.watermark,
      activity: JSON.parse(row.json) as Partial<Activity>,
    }));
  }

  lastWatermark(conversationId: string): number {
    return this.maxWatermark.get(conversationId)?.last ?? 0;
  }
}
