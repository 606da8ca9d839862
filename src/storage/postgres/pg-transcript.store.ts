import type { Activity, PagedResult, TranscriptInfo } from 'botbuilder';
import type pg from 'pg';
import {
  clampSearchLimit,
  searchTerms,
  TRANSCRIPT_PAGE_SIZE,
  type SearchableTranscriptStore,
  type TranscriptSearchHit,
} from '../searchable-transcript-store.js';
import { activityPageRequest, assertLoggable, requireIds, transcriptListAfter } from '../transcript-paging.js';
import * as transcriptRow from '../rows/transcript.row.js';
import { positionalPlaceholders } from '../rows/placeholders.js';
import { inTransaction } from './pg-transaction.js';
import { PG_ROW_WRITING, pgText } from './pg-text.js';

/**
 * The listing row and the activity in one statement (one round trip, atomic). Both ignore what is already
 * there: the listing keeps the first activity's time, and the identity index makes a re-logged activity a no-op.
 */
const LOG = `WITH listing AS (
    INSERT INTO transcripts (channel_id, conversation_id, created_ms) VALUES ($1, $2, $4) ON CONFLICT DO NOTHING
  )
  INSERT INTO transcript_activities (${transcriptRow.TRANSCRIPT_ACTIVITY_COLUMNS.join(', ')})
  VALUES (${positionalPlaceholders(transcriptRow.TRANSCRIPT_ACTIVITY_COLUMNS)})
  ON CONFLICT DO NOTHING`;

const PAGE = `SELECT seq, timestamp_ms, json FROM transcript_activities
  WHERE channel_id = $1 AND conversation_id = $2 AND timestamp_ms >= $3`;
const LIST = 'SELECT conversation_id, created_ms FROM transcripts WHERE channel_id = $1';

/**
 * botbuilder `TranscriptStore` over `transcript_activities` in PostgreSQL, with the console's search as
 * `ILIKE '%term%'` per term over a `pg_trgm` GIN index (any substring, Chinese included; Latin case ignored).
 * `logActivity` has committed when it resolves, and is idempotent for an activity with an id.
 */
export class PgTranscriptStore implements SearchableTranscriptStore {
  constructor(private readonly pool: pg.Pool) {}

  /** Appends the activity; committed when the returned promise resolves. */
  async logActivity(activity: Activity): Promise<void> {
    assertLoggable(activity, 'PgTranscriptStore.logActivity()');
    const row = transcriptRow.toTranscriptActivityRow(activity, PG_ROW_WRITING);
    await this.pool.query(LOG, transcriptRow.transcriptActivityValues(row));
  }

  /** A page of a conversation's activities in timestamp order, from `startDate` on. */
  async getTranscriptActivities(
    channelId: string,
    conversationId: string,
    continuationToken?: string,
    startDate?: Date,
  ): Promise<PagedResult<Activity>> {
    const caller = 'PgTranscriptStore.getTranscriptActivities()';
    const { sinceMs, after } = activityPageRequest(caller, channelId, conversationId, continuationToken, startDate);
    const { rows } = after
      ? await this.pool.query<transcriptRow.ActivityPageRow>(
          `${PAGE} AND (timestamp_ms, seq) > ($4, $5) ORDER BY timestamp_ms, seq LIMIT $6`,
          [channelId, conversationId, sinceMs, after.timestampMs, after.seq, TRANSCRIPT_PAGE_SIZE],
        )
      : await this.pool.query<transcriptRow.ActivityPageRow>(`${PAGE} ORDER BY timestamp_ms, seq LIMIT $4`, [
          channelId,
          conversationId,
          sinceMs,
          TRANSCRIPT_PAGE_SIZE,
        ]);
    return transcriptRow.activityPage(rows);
  }

  /** A page of the channel's conversations, oldest first. */
  async listTranscripts(channelId: string, continuationToken?: string): Promise<PagedResult<TranscriptInfo>> {
    const after = transcriptListAfter('PgTranscriptStore.listTranscripts()', channelId, continuationToken);
    const { rows } = after
      ? await this.pool.query<transcriptRow.TranscriptListRow>(
          `${LIST} AND (created_ms, conversation_id) > ($2, $3) ORDER BY created_ms, conversation_id LIMIT $4`,
          [channelId, after.createdMs, after.conversationId, TRANSCRIPT_PAGE_SIZE],
        )
      : await this.pool.query<transcriptRow.TranscriptListRow>(`${LIST} ORDER BY created_ms, conversation_id LIMIT $2`, [
          channelId,
          TRANSCRIPT_PAGE_SIZE,
        ]);
    return transcriptRow.transcriptPage(channelId, rows);
  }

  /** Removes the conversation's activities and its listing row. */
  async deleteTranscript(channelId: string, conversationId: string): Promise<void> {
    requireIds('PgTranscriptStore.deleteTranscript()', channelId, conversationId);
    await inTransaction(this.pool, async (client) => {
      await client.query('DELETE FROM transcript_activities WHERE channel_id = $1 AND conversation_id = $2', [
        channelId,
        conversationId,
      ]);
      await client.query('DELETE FROM transcripts WHERE channel_id = $1 AND conversation_id = $2', [channelId, conversationId]);
    });
  }

  /** Search over activity text; see SearchableTranscriptStore. */
  async searchTranscripts(query: string, limit?: number): Promise<TranscriptSearchHit[]> {
    const match = matchClause(query, 1);
    if (!match) return [];
    const { rows } = await this.pool.query<transcriptRow.SearchHitRow>(
      `SELECT channel_id, conversation_id, activity_id, timestamp_ms, type, from_role, text
       FROM transcript_activities WHERE ${match.where} ORDER BY timestamp_ms DESC, seq DESC LIMIT $${match.next}`,
      [...match.params, clampSearchLimit(limit)],
    );
    return rows.map(transcriptRow.toSearchHit);
  }

  /** Ids of the conversations with a matching activity, most recent match first. */
  async searchConversations(text: string, limit: number): Promise<string[]> {
    const match = matchClause(text, 1);
    if (!match) return [];
    const { rows } = await this.pool.query<{ conversation_id: string }>(
      `SELECT conversation_id FROM transcript_activities WHERE ${match.where}
       GROUP BY conversation_id ORDER BY max(timestamp_ms) DESC, conversation_id LIMIT $${match.next}`,
      [...match.params, clampSearchLimit(limit)],
    );
    return rows.map((row) => row.conversation_id);
  }
}

/**
 * WHERE of a search (every term must occur), numbering its parameters from `first`; undefined without a term.
 * LIKE's wildcards typed by staff are escaped, so every term is literal text.
 */
function matchClause(query: string, first: number): { where: string; params: string[]; next: number } | undefined {
  const terms = searchTerms(query);
  if (terms.length === 0) return undefined;
  const where = ['text IS NOT NULL'];
  const params = terms.map((term) => `%${pgText(term).replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  params.forEach((_, index) => where.push(`text ILIKE $${first + index} ESCAPE '\\'`));
  return { where: where.join(' AND '), params, next: first + params.length };
}
