import type { Activity, PagedResult, TranscriptInfo } from 'botbuilder';
import type { Database, Statement } from 'better-sqlite3';
import {
  clampSearchLimit,
  searchTerms,
  TRANSCRIPT_PAGE_SIZE,
  type SearchableTranscriptStore,
  type TranscriptSearchHit,
} from './searchable-transcript-store.js';
import { activityPageRequest, assertLoggable, requireIds, transcriptListAfter } from './transcript-paging.js';
import { SqliteGroupCommit } from './sqlite-group-commit.js';
import { AS_GIVEN } from './rows/row-writing.js';
import * as transcriptRow from './rows/transcript.row.js';

/** Trigrams need 3 characters; shorter terms are matched with LIKE over the indexed rows instead. */
const TRIGRAM = 3;
/** Lines with text logged before the search index is brought up to date (it also is before every search). */
const INDEX_BATCH = 256;

/**
 * botbuilder `TranscriptStore` over `transcript_activities`: every activity (seller, bot, agent, events,
 * traces) as JSON with indexed columns, and an FTS5 trigram index over `text` for the console's search.
 * `logActivity` commits before it returns, and is idempotent for an activity with an id (same id and type in the
 * same conversation is recorded once).
 */
export class SqliteTranscriptStore implements SearchableTranscriptStore {
  private readonly insertActivity: Statement<unknown[]>;
  private readonly insertTranscript: Statement<[string, string, number]>;
  private readonly pageFirst: Statement<[string, string, number, number], transcriptRow.ActivityPageRow>;
  private readonly pageAfter: Statement<[string, string, number, number, number, number, number], transcriptRow.ActivityPageRow>;
  private readonly listFirst: Statement<[string, number], transcriptRow.TranscriptListRow>;
  private readonly listAfter: Statement<[string, number, number, string, number], transcriptRow.TranscriptListRow>;
  private readonly removeActivities: Statement<[string, string]>;
  private readonly removeTranscript: Statement<[string, string]>;
  private readonly logOne: (activity: Activity) => void;
  private readonly commits: SqliteGroupCommit;
  /** Bulk indexing (schema 5 on); undefined on an older schema, where a trigger indexes each insert. */
  private readonly index: { readonly add: Statement; readonly advance: Statement } | undefined;
  private unindexed = 0;

  constructor(private readonly db: Database) {
    this.commits = SqliteGroupCommit.for(db);
    this.insertActivity = db.prepare(
      `INSERT OR IGNORE INTO transcript_activities (${transcriptRow.TRANSCRIPT_ACTIVITY_COLUMNS.join(', ')})
       VALUES (${transcriptRow.TRANSCRIPT_ACTIVITY_COLUMNS.map(() => '?').join(', ')})`,
    );
    this.insertTranscript = db.prepare(
      'INSERT OR IGNORE INTO transcripts (channel_id, conversation_id, created_ms) VALUES (?, ?, ?)',
    );
    const page = `SELECT seq, timestamp_ms, json FROM transcript_activities
      WHERE channel_id = ? AND conversation_id = ? AND timestamp_ms >= ?`;
    this.pageFirst = db.prepare(`${page} ORDER BY timestamp_ms, seq LIMIT ?`);
    this.pageAfter = db.prepare(
      `${page} AND (timestamp_ms > ? OR (timestamp_ms = ? AND seq > ?)) ORDER BY timestamp_ms, seq LIMIT ?`,
    );
    const list = 'SELECT conversation_id, created_ms FROM transcripts WHERE channel_id = ?';
    this.listFirst = db.prepare(`${list} ORDER BY created_ms, conversation_id LIMIT ?`);
    this.listAfter = db.prepare(
      `${list} AND (created_ms > ? OR (created_ms = ? AND conversation_id > ?)) ORDER BY created_ms, conversation_id LIMIT ?`,
    );
    const bulk = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'transcript_fts_progress'").get();
    this.index = bulk
      ? {
          add: db.prepare(
            `INSERT INTO transcript_fts (rowid, text)
             SELECT seq, text FROM transcript_activities
             WHERE seq > (SELECT last_seq FROM transcript_fts_progress WHERE id = 1) AND text IS NOT NULL ORDER BY seq`,
          ),
          advance: db.prepare(
            `UPDATE transcript_fts_progress SET last_seq = COALESCE((SELECT MAX(seq) FROM transcript_activities), last_seq)
             WHERE id = 1`,
          ),
        }
      : undefined;
    this.removeActivities = db.prepare('DELETE FROM transcript_activities WHERE channel_id = ? AND conversation_id = ?');
    this.removeTranscript = db.prepare('DELETE FROM transcripts WHERE channel_id = ? AND conversation_id = ?');
    // Runs inside the group commit's transaction (see logActivity); the listing row alone would be harmless.
    this.logOne = (activity: Activity) => {
      const row = transcriptRow.toTranscriptActivityRow(activity, AS_GIVEN);
      this.insertTranscript.run(row.channel_id, row.conversation_id, row.timestamp_ms);
      this.insertActivity.run(...transcriptRow.transcriptActivityValues(row));
    };
  }

  /** Appends the activity; it is on disk when the returned promise resolves (see SqliteGroupCommit). */
  logActivity(activity: Activity): Promise<void> {
    assertLoggable(activity, 'SqliteTranscriptStore.logActivity()');
    this.commits.join();
    this.logOne(activity);
    if (typeof activity.text === 'string' && activity.text.length > 0 && ++this.unindexed >= INDEX_BATCH) this.indexNewLines();
    return this.commits.durable();
  }

  /** Adds every line logged since the last call to the search index, in the current batch transaction. */
  private indexNewLines(): void {
    if (!this.index) return;
    this.commits.join();
    this.index.add.run();
    this.index.advance.run();
    this.unindexed = 0;
  }

  /** A page of a conversation's activities in timestamp order, from `startDate` on. */
  async getTranscriptActivities(
    channelId: string,
    conversationId: string,
    continuationToken?: string,
    startDate?: Date,
  ): Promise<PagedResult<Activity>> {
    const caller = 'SqliteTranscriptStore.getTranscriptActivities()';
    const { sinceMs, after } = activityPageRequest(caller, channelId, conversationId, continuationToken, startDate);
    const rows = after
      ? this.pageAfter.all(channelId, conversationId, sinceMs, after.timestampMs, after.timestampMs, after.seq, TRANSCRIPT_PAGE_SIZE)
      : this.pageFirst.all(channelId, conversationId, sinceMs, TRANSCRIPT_PAGE_SIZE);
    return transcriptRow.activityPage(rows);
  }

  /** A page of the channel's conversations, oldest first. */
  async listTranscripts(channelId: string, continuationToken?: string): Promise<PagedResult<TranscriptInfo>> {
    const after = transcriptListAfter('SqliteTranscriptStore.listTranscripts()', channelId, continuationToken);
    const rows = after
      ? this.listAfter.all(channelId, after.createdMs, after.createdMs, after.conversationId, TRANSCRIPT_PAGE_SIZE)
      : this.listFirst.all(channelId, TRANSCRIPT_PAGE_SIZE);
    return transcriptRow.transcriptPage(channelId, rows);
  }

  /** Removes the conversation's activities and its search entries. */
  async deleteTranscript(channelId: string, conversationId: string): Promise<void> {
    requireIds('SqliteTranscriptStore.deleteTranscript()', channelId, conversationId);
    this.commits.join();
    this.db.transaction(() => {
      this.removeActivities.run(channelId, conversationId);
      this.removeTranscript.run(channelId, conversationId);
    })();
    await this.commits.durable();
  }

  /** Full-text search over activity text; see SearchableTranscriptStore. */
  async searchTranscripts(query: string, limit?: number): Promise<TranscriptSearchHit[]> {
    const match = matchClause(query);
    if (!match) return [];
    this.indexNewLines();
    const rows = this.db
      .prepare(
        `SELECT a.channel_id, a.conversation_id, a.activity_id, a.timestamp_ms, a.type, a.from_role, a.text
         FROM ${match.from} WHERE ${match.where} ORDER BY a.timestamp_ms DESC, a.seq DESC LIMIT ?`,
      )
      .all(...match.params, clampSearchLimit(limit)) as transcriptRow.SearchHitRow[];
    return rows.map(transcriptRow.toSearchHit);
  }

  /** Ids of the conversations with a matching activity, most recent match first. */
  async searchConversations(text: string, limit: number): Promise<string[]> {
    const match = matchClause(text);
    if (!match) return [];
    this.indexNewLines();
    const rows = this.db
      .prepare(
        `SELECT a.conversation_id, MAX(a.timestamp_ms) AS last_ms
         FROM ${match.from} WHERE ${match.where}
         GROUP BY a.conversation_id ORDER BY last_ms DESC, a.conversation_id LIMIT ?`,
      )
      .all(...match.params, clampSearchLimit(limit)) as Array<{ conversation_id: string }>;
    return rows.map((row) => row.conversation_id);
  }
}

/** FROM and WHERE of a search; undefined when the query has no term. */
function matchClause(query: string): { from: string; where: string; params: string[] } | undefined {
  const terms = searchTerms(query);
  if (terms.length === 0) return undefined;
  const long = terms.filter((term) => [...term].length >= TRIGRAM);
  const short = terms.filter((term) => [...term].length < TRIGRAM);
  const where: string[] = ['a.text IS NOT NULL'];
  const params: string[] = [];
  let from = 'transcript_activities a';
  if (long.length > 0) {
    // Each term is one quoted FTS5 string, so operators typed by staff stay literal text.
    from = 'transcript_fts f JOIN transcript_activities a ON a.seq = f.rowid';
    where.push('transcript_fts MATCH ?');
    params.push(long.map((term) => `"${term.replaceAll('"', '""')}"`).join(' AND '));
  }
  for (const term of short) {
    where.push("a.text LIKE ? ESCAPE '\\'");
    params.push(`%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  return { from, where: where.join(' AND '), params };
}
