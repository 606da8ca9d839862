import type { Database } from 'better-sqlite3';
import {
  addCounts,
  NO_COUNTS,
  type ConversationData,
  type SellerDataCounts,
  type SellerDataExport,
  type SellerDataStore,
  type SellerSelector,
} from '../privacy/seller-data.js';
import { PURGE_CHUNK_ROWS, purgeInChunks } from './chunked-purge.js';
import { conversationData, parsedJson, stateByKey, type Row } from './seller-data-records.js';
import { SqliteGroupCommit } from './sqlite-group-commit.js';

// instr() rather than LIKE: ids may hold `%` or `_`. Keys are botbuilder's `<channel>/conversations/<id>/<ns>`.
const CONVERSATION_KEY = "instr(key, '/conversations/' || ? || '/') > 0";
const USER_KEY = "instr(key, '/users/' || ? || '/') > 0";

/** Every statement of SqliteSellerData, prepared once. */
function prepareStatements(db: Database) {
  // Per connection, never written to the file: the ids one erasure works on.
  db.exec('CREATE TEMP TABLE IF NOT EXISTS erase_ids (id TEXT PRIMARY KEY) WITHOUT ROWID');
  const prepare = (sql: string) => db.prepare<unknown[], Row>(sql);
  return {
    dlConversation: prepare('SELECT user_id, locale, created_at FROM directline_conversations WHERE id = ?'),
    dlOfUser: prepare('SELECT id FROM directline_conversations WHERE user_id = ?'),
    transcriptOfUser: prepare('SELECT DISTINCT conversation_id FROM transcript_activities WHERE from_id = ?'),
    transcriptChannels: prepare('SELECT channel_id FROM transcripts WHERE conversation_id = ?'),
    index: prepare('SELECT * FROM conversation_index WHERE conversation_id = ?'),
    transcript: prepare(
      'SELECT json FROM transcript_activities WHERE channel_id = ? AND conversation_id = ? ORDER BY timestamp_ms, seq',
    ),
    history: prepare('SELECT json FROM directline_activities WHERE conversation_id = ? ORDER BY watermark'),
    recognitions: prepare(
      'SELECT activity_id, text, intent, score, ambiguous, at FROM recognitions WHERE conversation_id = ? ORDER BY seq',
    ),
    callbacks: prepare('SELECT * FROM callback_requests WHERE conversation_id = ? ORDER BY created_at'),
    ratings: prepare('SELECT * FROM ratings WHERE conversation_id = ? ORDER BY created_at'),
    conversationState: prepare(`SELECT key, value FROM state_items WHERE ${CONVERSATION_KEY}`),
    userState: prepare(`SELECT key, value FROM state_items WHERE ${USER_KEY}`),
    deleteUserState: prepare(`DELETE FROM state_items WHERE ${USER_KEY}`),
    // Set-based erasure of the ids in the temp table `erase_ids` (see eraseMany).
    clearIds: prepare('DELETE FROM temp.erase_ids'),
    addId: prepare('INSERT OR IGNORE INTO temp.erase_ids (id) VALUES (?)'),
    countKnown: prepare(
      `SELECT COUNT(*) AS n FROM temp.erase_ids e WHERE e.id IN (SELECT id FROM directline_conversations)
         OR e.id IN (SELECT conversation_id FROM conversation_index) OR e.id IN (SELECT conversation_id FROM transcripts)`,
    ),
    // Row values: the (channel, conversation) index finds the lines without a scan of every line.
    eraseLines: prepare(
      `DELETE FROM transcript_activities WHERE (channel_id, conversation_id) IN
         (SELECT channel_id, conversation_id FROM transcripts WHERE conversation_id IN (SELECT id FROM temp.erase_ids))`,
    ),
    eraseTranscripts: prepare('DELETE FROM transcripts WHERE conversation_id IN (SELECT id FROM temp.erase_ids)'),
    countHistoryMany: prepare(
      'SELECT COUNT(*) AS n FROM directline_activities WHERE conversation_id IN (SELECT id FROM temp.erase_ids)',
    ),
    // The history goes with it (ON DELETE CASCADE).
    eraseDl: prepare('DELETE FROM directline_conversations WHERE id IN (SELECT id FROM temp.erase_ids)'),
    eraseIndex: prepare('DELETE FROM conversation_index WHERE conversation_id IN (SELECT id FROM temp.erase_ids)'),
    eraseRecognitions: prepare('DELETE FROM recognitions WHERE conversation_id IN (SELECT id FROM temp.erase_ids)'),
    eraseCallbacks: prepare('DELETE FROM callback_requests WHERE conversation_id IN (SELECT id FROM temp.erase_ids)'),
    eraseRatings: prepare('DELETE FROM ratings WHERE conversation_id IN (SELECT id FROM temp.erase_ids)'),
    // The conversation id is the key's segment after `/conversations/` (15 characters).
    eraseConversationState: prepare(
      `DELETE FROM state_items WHERE instr(key, '/conversations/') > 0 AND substr(
         substr(key, instr(key, '/conversations/') + 15), 1,
         instr(substr(key, instr(key, '/conversations/') + 15), '/') - 1) IN (SELECT id FROM temp.erase_ids)`,
    ),
    // Retention.
    idleIndexed: prepare('SELECT conversation_id AS id FROM conversation_index WHERE last_activity_at < ?'),
    idleUnindexed: prepare(
      `SELECT id FROM directline_conversations d WHERE created_at < ?
         AND NOT EXISTS (SELECT 1 FROM conversation_index i WHERE i.conversation_id = d.id)`,
    ),
    oldTranscriptLines: prepare(
      `DELETE FROM transcript_activities WHERE seq IN
         (SELECT seq FROM transcript_activities WHERE timestamp_ms < ? ORDER BY timestamp_ms LIMIT ${PURGE_CHUNK_ROWS})`,
    ),
    emptyTranscripts: prepare(
      `DELETE FROM transcripts WHERE created_ms < ? AND NOT EXISTS (SELECT 1 FROM transcript_activities a
         WHERE a.channel_id = transcripts.channel_id AND a.conversation_id = transcripts.conversation_id)`,
    ),
    oldRecognitions: prepare('DELETE FROM recognitions WHERE at < ?'),
    oldCallbacks: prepare('DELETE FROM callback_requests WHERE created_at < ?'),
    oldRatings: prepare('DELETE FROM ratings WHERE created_at < ?'),
    oldState: prepare('DELETE FROM state_items WHERE updated_at < ?'),
  };
}

/**
 * {@link SellerDataStore} over the product's SQLite file. An erasure is one transaction inside the connection's
 * group commit: either every row of the seller is gone or none is. A purge runs in chunks, each one transaction
 * (a crash mid-purge leaves the rest for the next run). Finding a seller's conversations by user id scans the
 * transcript (no index on the sender): an occasional staff action, not a hot path.
 */
export class SqliteSellerData implements SellerDataStore {
  private readonly commits: SqliteGroupCommit;
  private readonly s: ReturnType<typeof prepareStatements>;

  constructor(private readonly db: Database) {
    this.commits = SqliteGroupCommit.for(db);
    this.s = prepareStatements(db);
  }

  async export(selector: SellerSelector): Promise<SellerDataExport> {
    // One read transaction: a consistent snapshot even while another process (the server) writes.
    return this.db.transaction(() => {
      const conversations = this.conversationIds(selector).map((id) => this.conversationData(id));
      const userState = 'userId' in selector ? stateByKey(this.s.userState.all(selector.userId)) : {};
      return { selector, exportedAt: new Date().toISOString(), conversations, userState };
    })();
  }

  async erase(selector: SellerSelector): Promise<SellerDataCounts> {
    this.commits.join();
    const counts = this.db.transaction(() => {
      let total = this.eraseMany(this.conversationIds(selector));
      if ('userId' in selector) {
        total = addCounts(total, { ...NO_COUNTS, stateItems: this.s.deleteUserState.run(selector.userId).changes });
      }
      return total;
    })();
    await this.commits.durable();
    return counts;
  }

  async purgeOlderThan(cutoff: Date): Promise<SellerDataCounts> {
    return purgeInChunks(
      {
        idleConversations: async (before) => {
          const iso = before.toISOString();
          return [...this.s.idleIndexed.all(iso), ...this.s.idleUnindexed.all(iso)].map((row) => String(row.id));
        },
        eraseConversations: (ids) => this.inBatch(() => this.eraseMany(ids)),
        deleteOldTranscriptLines: (before) => this.inBatch(() => this.s.oldTranscriptLines.run(before.getTime()).changes),
        deleteOldRows: (before) =>
          this.inBatch(() => {
            const iso = before.toISOString();
            this.s.emptyTranscripts.run(before.getTime());
            return {
              ...NO_COUNTS,
              recognitions: this.s.oldRecognitions.run(iso).changes,
              callbacks: this.s.oldCallbacks.run(iso).changes,
              ratings: this.s.oldRatings.run(iso).changes,
              stateItems: this.s.oldState.run(iso).changes,
            };
          }),
      },
      cutoff,
    );
  }

  /** Runs `work` as one transaction in the group commit and resolves once it is on disk. */
  private async inBatch<T>(work: () => T): Promise<T> {
    this.commits.join();
    const result = this.db.transaction(work)();
    await this.commits.durable();
    return result;
  }

  /** The selected conversations that exist anywhere (Direct Line, console index or transcript). */
  private conversationIds(selector: SellerSelector): string[] {
    if ('conversationId' in selector) {
      const id = selector.conversationId;
      const known =
        this.s.dlConversation.get(id) !== undefined ||
        this.s.index.get(id) !== undefined ||
        this.s.transcriptChannels.get(id) !== undefined;
      return known ? [id] : [];
    }
    const ids = new Set<string>();
    for (const row of this.s.dlOfUser.all(selector.userId)) ids.add(String(row.id));
    for (const row of this.s.transcriptOfUser.all(selector.userId)) ids.add(String(row.conversation_id));
    return [...ids].sort();
  }

  private channelsOf(conversationId: string): string[] {
    return this.s.transcriptChannels.all(conversationId).map((row) => String(row.channel_id));
  }

  private conversationData(id: string): ConversationData {
    return conversationData(id, {
      directLine: this.s.dlConversation.get(id),
      index: this.s.index.get(id),
      transcript: this.channelsOf(id).flatMap((channel) => this.s.transcript.all(channel, id)),
      history: parsedJson(this.s.history.all(id)),
      recognitions: this.s.recognitions.all(id),
      callbacks: this.s.callbacks.all(id),
      ratings: this.s.ratings.all(id),
      state: this.s.conversationState.all(id),
    });
  }

  /** Deletes the conversations everywhere, a statement per table for all of them; inside the caller's transaction. */
  private eraseMany(ids: readonly string[]): SellerDataCounts {
    if (ids.length === 0) return NO_COUNTS;
    this.s.clearIds.run();
    for (const id of ids) this.s.addId.run(id);
    const conversations = Number(this.s.countKnown.get()?.n ?? 0);
    const historyActivities = Number(this.s.countHistoryMany.get()?.n ?? 0);
    const transcriptLines = this.s.eraseLines.run().changes;
    this.s.eraseTranscripts.run();
    this.s.eraseDl.run();
    const counts = {
      conversations,
      transcriptLines,
      historyActivities,
      recognitions: this.s.eraseRecognitions.run().changes,
      callbacks: this.s.eraseCallbacks.run().changes,
      ratings: this.s.eraseRatings.run().changes,
      handoffRecords: this.s.eraseIndex.run().changes,
      stateItems: this.s.eraseConversationState.run().changes,
    };
    this.s.clearIds.run();
    return counts;
  }
}
