import type pg from 'pg';
import type { AsyncConversationStore } from '../../channels/directline/async-conversation-store.js';
import {
  addCounts,
  NO_COUNTS,
  type ConversationData,
  type SellerDataCounts,
  type SellerDataExport,
  type SellerDataStore,
  type SellerSelector,
} from '../../privacy/seller-data.js';
import { PURGE_CHUNK_ROWS, purgeInChunks } from '../chunked-purge.js';
import { conversationData, stateByKey, type ConversationRows, type Row } from '../seller-data-records.js';
import { inTransaction } from './pg-transaction.js';

// strpos() rather than LIKE: ids may hold `%` or `_`. Keys are botbuilder's `<channel>/conversations/<id>/<ns>`.
const CONVERSATION_KEY = "strpos(key, '/conversations/' || $1 || '/') > 0";
const USER_KEY = "strpos(key, '/users/' || $1 || '/') > 0";
/** The segment of a state key after `/conversations/`: the conversation id. */
const KEY_CONVERSATION = "split_part(substr(key, strpos(key, '/conversations/') + 15), '/', 1)";

/**
 * Erasures and purge chunks of every instance take this lock first: instances purge at the same hour, and two
 * transactions deleting the same conversations in another order could deadlock; serialised, the later one finds
 * them gone and counts nothing.
 */
const SELLER_DATA_LOCK = "SELECT pg_advisory_xact_lock(hashtext('cxt-bot.seller-data'))";

/** Every statement of PgSellerData. `$1` is one id, or an array of conversation ids (`ids`) for the erasure. */
const SQL = {
  dlConversation: 'SELECT user_id, locale, created_at FROM directline_conversations WHERE id = $1',
  dlOfUser: 'SELECT id FROM directline_conversations WHERE user_id = $1',
  transcriptOfUser: 'SELECT DISTINCT conversation_id FROM transcript_activities WHERE from_id = $1',
  transcriptChannels: 'SELECT channel_id FROM transcripts WHERE conversation_id = $1 ORDER BY channel_id',
  index: 'SELECT * FROM conversation_index WHERE conversation_id = $1',
  transcript: `SELECT a.json FROM transcripts t JOIN transcript_activities a
    ON a.channel_id = t.channel_id AND a.conversation_id = t.conversation_id
    WHERE t.conversation_id = $1 ORDER BY t.channel_id, a.timestamp_ms, a.seq`,
  recognitions: 'SELECT activity_id, text, intent, score, ambiguous, at FROM recognitions WHERE conversation_id = $1 ORDER BY seq',
  callbacks: 'SELECT * FROM callback_requests WHERE conversation_id = $1 ORDER BY created_at',
  ratings: 'SELECT * FROM ratings WHERE conversation_id = $1 ORDER BY created_at',
  conversationState: `SELECT key, value FROM state_items WHERE ${CONVERSATION_KEY} ORDER BY key`,
  userState: `SELECT key, value FROM state_items WHERE ${USER_KEY} ORDER BY key`,
  deleteUserState: `DELETE FROM state_items WHERE ${USER_KEY}`,
  countKnown: `SELECT count(*)::int AS n FROM unnest($1::text[]) AS e(id)
    WHERE EXISTS (SELECT 1 FROM directline_conversations d WHERE d.id = e.id)
       OR EXISTS (SELECT 1 FROM conversation_index i WHERE i.conversation_id = e.id)
       OR EXISTS (SELECT 1 FROM transcripts t WHERE t.conversation_id = e.id)`,
  // Row values: the (channel, conversation) index finds the lines without a scan of every line.
  eraseLines: `DELETE FROM transcript_activities WHERE (channel_id, conversation_id) IN
    (SELECT channel_id, conversation_id FROM transcripts WHERE conversation_id = ANY($1::text[]))`,
  eraseTranscripts: 'DELETE FROM transcripts WHERE conversation_id = ANY($1::text[])',
  // Deleted before their conversations (not by the cascade) to count them.
  eraseHistory: 'DELETE FROM directline_activities WHERE conversation_id = ANY($1::text[])',
  eraseDl: 'DELETE FROM directline_conversations WHERE id = ANY($1::text[])',
  eraseIndex: 'DELETE FROM conversation_index WHERE conversation_id = ANY($1::text[])',
  eraseRecognitions: 'DELETE FROM recognitions WHERE conversation_id = ANY($1::text[])',
  eraseCallbacks: 'DELETE FROM callback_requests WHERE conversation_id = ANY($1::text[])',
  eraseRatings: 'DELETE FROM ratings WHERE conversation_id = ANY($1::text[])',
  eraseConversationState: `DELETE FROM state_items
    WHERE strpos(key, '/conversations/') > 0 AND ${KEY_CONVERSATION} = ANY($1::text[])`,
  // Retention: ISO times compare as text in the "C" collation (directline_conversations.created_at has none).
  idleIndexed: 'SELECT conversation_id AS id FROM conversation_index WHERE last_activity_at < $1',
  idleUnindexed: `SELECT id FROM directline_conversations d WHERE created_at COLLATE "C" < $1
    AND NOT EXISTS (SELECT 1 FROM conversation_index i WHERE i.conversation_id = d.id)`,
  oldTranscriptLines: `DELETE FROM transcript_activities WHERE seq IN
    (SELECT seq FROM transcript_activities WHERE timestamp_ms < $1 ORDER BY timestamp_ms LIMIT ${PURGE_CHUNK_ROWS})`,
  emptyTranscripts: `DELETE FROM transcripts t WHERE created_ms < $1 AND NOT EXISTS (SELECT 1 FROM transcript_activities a
    WHERE a.channel_id = t.channel_id AND a.conversation_id = t.conversation_id)`,
  oldRecognitions: 'DELETE FROM recognitions WHERE at < $1',
  oldCallbacks: 'DELETE FROM callback_requests WHERE created_at < $1',
  oldRatings: 'DELETE FROM ratings WHERE created_at < $1',
  oldState: 'DELETE FROM state_items WHERE updated_at < $1::timestamptz',
} as const;

type Db = pg.Pool | pg.PoolClient;

async function rows(db: Db, sql: string, params: unknown[]): Promise<Row[]> {
  return (await db.query<Row>(sql, params)).rows;
}

async function changes(db: Db, sql: string, params: unknown[]): Promise<number> {
  return (await db.query(sql, params)).rowCount ?? 0;
}

/**
 * {@link SellerDataStore} over the product's PostgreSQL schema, with the rules of SqliteSellerData: an erasure is one
 * transaction (every row of the seller is gone, or none is), a purge runs in chunks of one transaction each (see
 * purgeInChunks). The Direct Line history is exported as the channel serves it (ids and timestamps from their
 * columns) through the conversation store, right after the rest of the export is read in one snapshot.
 */
export class PgSellerData implements SellerDataStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly conversations: Pick<AsyncConversationStore, 'activitiesAfter'>,
  ) {}

  async export(selector: SellerSelector): Promise<SellerDataExport> {
    const snapshot = await inTransaction(this.pool, async (client) => {
      await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const conversations: Array<{ id: string; rows: Omit<ConversationRows, 'history'> }> = [];
      for (const id of await this.conversationIds(client, selector)) conversations.push({ id, rows: await conversationRows(client, id) });
      const userState = 'userId' in selector ? stateByKey(await rows(client, SQL.userState, [selector.userId])) : {};
      return { conversations, userState };
    });
    // After the snapshot, not inside it: the store takes a connection of its own (a pool of one would wait forever).
    const conversations: ConversationData[] = [];
    for (const { id, rows: read } of snapshot.conversations) {
      const history = (await this.conversations.activitiesAfter(id, 0)).map((stored) => stored.activity);
      conversations.push(conversationData(id, { ...read, history }));
    }
    return { selector, exportedAt: new Date().toISOString(), conversations, userState: snapshot.userState };
  }

  async erase(selector: SellerSelector): Promise<SellerDataCounts> {
    return inTransaction(this.pool, async (client) => {
      await client.query(SELLER_DATA_LOCK);
      const total = await eraseMany(client, await this.conversationIds(client, selector));
      if (!('userId' in selector)) return total;
      return addCounts(total, { ...NO_COUNTS, stateItems: await changes(client, SQL.deleteUserState, [selector.userId]) });
    });
  }

  async purgeOlderThan(cutoff: Date): Promise<SellerDataCounts> {
    const locked = <T>(work: (client: pg.PoolClient) => Promise<T>) =>
      inTransaction(this.pool, async (client) => {
        await client.query(SELLER_DATA_LOCK);
        return work(client);
      });
    return purgeInChunks(
      {
        idleConversations: async (before) => {
          const iso = before.toISOString();
          const idle = [...(await rows(this.pool, SQL.idleIndexed, [iso])), ...(await rows(this.pool, SQL.idleUnindexed, [iso]))];
          return idle.map((row) => String(row.id));
        },
        eraseConversations: (ids) => locked((client) => eraseMany(client, ids)),
        deleteOldTranscriptLines: (before) => locked((client) => changes(client, SQL.oldTranscriptLines, [before.getTime()])),
        deleteOldRows: (before) =>
          locked(async (client) => {
            const iso = before.toISOString();
            await client.query(SQL.emptyTranscripts, [before.getTime()]);
            return {
              ...NO_COUNTS,
              recognitions: await changes(client, SQL.oldRecognitions, [iso]),
              callbacks: await changes(client, SQL.oldCallbacks, [iso]),
              ratings: await changes(client, SQL.oldRatings, [iso]),
              stateItems: await changes(client, SQL.oldState, [iso]),
            };
          }),
      },
      cutoff,
    );
  }

  /** The selected conversations that exist anywhere (Direct Line, console index or transcript). */
  private async conversationIds(client: pg.PoolClient, selector: SellerSelector): Promise<string[]> {
    if ('conversationId' in selector) {
      const id = selector.conversationId;
      const { rows: known } = await client.query<{ n: number }>(SQL.countKnown, [[id]]);
      return (known[0]?.n ?? 0) > 0 ? [id] : [];
    }
    const ids = new Set<string>();
    for (const row of await rows(client, SQL.dlOfUser, [selector.userId])) ids.add(String(row.id));
    for (const row of await rows(client, SQL.transcriptOfUser, [selector.userId])) ids.add(String(row.conversation_id));
    return [...ids].sort();
  }
}

/** What the tables hold about one conversation, but its Direct Line history. */
async function conversationRows(client: pg.PoolClient, id: string): Promise<Omit<ConversationRows, 'history'>> {
  const read = (sql: string) => rows(client, sql, [id]);
  return {
    directLine: (await read(SQL.dlConversation))[0],
    index: (await read(SQL.index))[0],
    transcript: await read(SQL.transcript),
    recognitions: await read(SQL.recognitions),
    callbacks: await read(SQL.callbacks),
    ratings: await read(SQL.ratings),
    state: await read(SQL.conversationState),
  };
}

/** Deletes the conversations everywhere, a statement per table for all of them; inside the caller's transaction. */
async function eraseMany(client: pg.PoolClient, ids: readonly string[]): Promise<SellerDataCounts> {
  if (ids.length === 0) return NO_COUNTS;
  const erase = (sql: string) => changes(client, sql, [ids]);
  const { rows: known } = await client.query<{ n: number }>(SQL.countKnown, [ids]);
  const transcriptLines = await erase(SQL.eraseLines);
  await erase(SQL.eraseTranscripts);
  const historyActivities = await erase(SQL.eraseHistory);
  await erase(SQL.eraseDl);
  return {
    conversations: known[0]?.n ?? 0,
    transcriptLines,
    historyActivities,
    recognitions: await erase(SQL.eraseRecognitions),
    callbacks: await erase(SQL.eraseCallbacks),
    ratings: await erase(SQL.eraseRatings),
    handoffRecords: await erase(SQL.eraseIndex),
    stateItems: await erase(SQL.eraseConversationState),
  };
}
