import type { Activity, PagedResult, TranscriptInfo } from 'botbuilder';
import type pg from 'pg';
import {
  clampSearchLimit,
  searchTerms,
  TRANSCRIPT_PAGE_SIZE,
  type SearchableTranscriptStore,
  type TranscriptSearchHit,
} from '../searchable-transcript-store.js';
import {
  activityTimeMs,
  assertLoggable,
  decodeActivityCursor,
  decodeTranscriptCursor,
  encodeActivityCursor,
  encodeTranscriptCursor,
  requireIds,
  reviveActivity,
} from '../transcript-paging.js';
import { inTransaction } from './pg-database.js';
import { int8, pgText } from './pg-text.js';

interface ActivityRow {
  seq: string;
  timestamp_ms: string;
  json: string;
}

interface HitRow {
  channel_id: string;
  conversation_id: string;
  activity_id: string | null;
  timestamp_ms: string;
  type: string;
  from_role: string | null;
  text: string;
}

/**
 * The listing row and the activity in one statement (one round trip, atomic). Both ignore what is already
 * there: the listing keeps the first activity's time, and the identity index makes a re-logged activity a no-op.
 */
const LOG = `WITH listing AS (
    INSERT INTO transcripts (channel_id, conversation_id, created_ms) VALUES ($1, $2, $4) ON CONFLICT DO NOTHING
  )
  INSERT INTO transcript_activities
    (channel_id, conversation_id, activity_id, timestamp_ms, type, from_role, from_id, text, json)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
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
    const timestampMs = activityTimeMs(activity);
    const stored = { ...activity, timestamp: new Date(timestampMs) };
    const text = typeof activity.text === 'string' && activity.text.length > 0 ? pgText(activity.text) : null;
    await this.pool.query(LOG, [
      activity.channelId,
      activity.conversation.id,
      activity.id ?? null,
      timestampMs,
      activity.type ?? 'unknown',
      activity.from?.role ?? null,
      activity.from?.id ?? null,
      text,
      JSON.stringify(stored),
    ]);
  }

  /** A page of a conversation's activities in timestamp order, from `startDate` on. */
  async getTranscriptActivities(
    channelId: string,
    conversationId: string,
    continuationToken?: string,
    startDate?: Date,
  ): Promise<PagedResult<Activity>> {
    const caller = 'PgTranscriptStore.getTranscriptActivities()';
    requireIds(caller, channelId, conversationId);
    const since = startDate ? startDate.getTime() : Number.MIN_SAFE_INTEGER;
    const { rows } = continuationToken
      ? await (() => {
          const cursor = decodeActivityCursor(continuationToken, caller);
          return this.pool.query<ActivityRow>(
            `${PAGE} AND (timestamp_ms, seq) > ($4, $5) ORDER BY timestamp_ms, seq LIMIT $6`,
            [channelId, conversationId, since, cursor.timestampMs, cursor.seq, TRANSCRIPT_PAGE_SIZE],
          );
        })()
      : await this.pool.query<ActivityRow>(`${PAGE} ORDER BY timestamp_ms, seq LIMIT $4`, [
          channelId,
          conversationId,
          since,
          TRANSCRIPT_PAGE_SIZE,
        ]);
    const last = rows.at(-1);
    return {
      items: rows.map((row) => reviveActivity(row.json)),
      // Typed as string by botbuilder, but undefined marks the last page there too.
      continuationToken:
        last && rows.length === TRANSCRIPT_PAGE_SIZE
          ? encodeActivityCursor({ timestampMs: int8(last.timestamp_ms), seq: int8(last.seq) })
          : (undefined as unknown as string),
    };
  }

  /** A page of the channel's conversations, oldest first. */
  async listTranscripts(channelId: string, continuationToken?: string): Promise<PagedResult<TranscriptInfo>> {
    const caller = 'PgTranscriptStore.listTranscripts()';
    requireIds(caller, channelId);
    const { rows } = continuationToken
      ? await (() => {
          const cursor = decodeTranscriptCursor(continuationToken, caller);
          return this.pool.query<{ conversation_id: string; created_ms: string }>(
            `${LIST} AND (created_ms, conversation_id) > ($2, $3) ORDER BY created_ms, conversation_id LIMIT $4`,
            [channelId, cursor.createdMs, cursor.conversationId, TRANSCRIPT_PAGE_SIZE],
          );
        })()
      : await this.pool.query<{ conversation_id: string; created_ms: string }>(
          `${LIST} ORDER BY created_ms, conversation_id LIMIT $2`,
          [channelId, TRANSCRIPT_PAGE_SIZE],
        );
    const last = rows.at(-1);
    return {
      items: rows.map((row) => ({ channelId, id: row.conversation_id, created: new Date(int8(row.created_ms)) })),
      continuationToken:
        last && rows.length === TRANSCRIPT_PAGE_SIZE
          ? encodeTranscriptCursor({ createdMs: int8(last.created_ms), conversationId: last.conversation_id })
          : (undefined as unknown as string),
    };
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
    const { rows } = await this.pool.query<HitRow>(
      `SELECT channel_id, conversation_id, activity_id, timestamp_ms, type, from_role, text
       FROM transcript_activities WHERE ${match.where} ORDER BY timestamp_ms DESC, seq DESC LIMIT $${match.next}`,
      [...match.params, clampSearchLimit(limit)],
    );
    return rows.map((row) => ({
      channelId: row.channel_id,
      conversationId: row.conversation_id,
      activityId: row.activity_id ?? undefined,
      timestamp: new Date(int8(row.timestamp_ms)),
      type: row.type,
      fromRole: row.from_role ?? undefined,
      text: row.text,
    }));
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
