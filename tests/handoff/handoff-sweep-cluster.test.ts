import { afterEach, describe, expect, it } from 'vitest';
import { HandoffService } from '../../src/handoff/handoff-service.js';
import type { HandoffTransitionRecord } from '../../src/handoff/handoff-observer.js';
import { LiveHub } from '../../src/handoff/live-events.js';
import type { ConversationRecord, HandoffRepositories } from '../../src/handoff/ports.js';
import { PgCallbackRepository } from '../../src/storage/postgres/pg-callback.repository.js';
import { PgConversationIndex } from '../../src/storage/postgres/pg-conversation-index.repository.js';
import type { PgDatabase } from '../../src/storage/postgres/pg-database.js';
import { PgRatingRepository } from '../../src/storage/postgres/pg-rating.repository.js';
import { PgRecognitionLog } from '../../src/storage/postgres/pg-recognition-log.repository.js';
import { PgTranscriptStore } from '../../src/storage/postgres/pg-transcript.store.js';
import { pgTestFileSchema, type PgTestDatabase } from '../storage/pg-test-schema.js';
import { RecordingSellerChannel } from './fake-seller-channel.js';

function pgRepositories(database: PgDatabase): HandoffRepositories {
  const { pool } = database;
  return {
    conversations: new PgConversationIndex(pool),
    recognitions: new PgRecognitionLog(pool),
    callbacks: new PgCallbackRepository(pool),
    ratings: new PgRatingRepository(pool),
    transcriptSearch: new PgTranscriptStore(pool),
  };
}

const NOW = new Date('2026-11-26T08:30:00.000Z');
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();

const queued = (id: string, waitedMinutes: number): ConversationRecord => ({
  conversationId: id,
  channelId: 'directline',
  locale: 'zh-CN',
  handoffState: 'queued',
  assignedAgent: null,
  createdAt: minutesAgo(60),
  lastActivityAt: minutesAgo(waitedMinutes),
  waitingSince: minutesAgo(waitedMinutes),
  handoffRequestedAt: minutesAgo(waitedMinutes),
  caseSummary: null,
  lastSellerText: null,
  reference: null,
});

/** One bot instance's handoff: its own pool on the shared schema, its own channel, its own sweep. */
function instance(database: PgDatabase) {
  const channel = new RecordingSellerChannel();
  const transitions: HandoffTransitionRecord[] = [];
  const service = new HandoffService({
    repositories: pgRepositories(database),
    channel,
    live: new LiveHub(),
    officeHours: { isOpen: () => true },
    maxWaitSeconds: 300,
    onError: (error) => {
      throw error;
    },
    now: () => NOW,
    onTransition: (change) => transitions.push(change),
  });
  return { service, channel, transitions };
}

const pgSchema = pgTestFileSchema();

describe('handoff queue sweep with several instances on one PostgreSQL', () => {
  let test: PgTestDatabase;
  afterEach(() => test.dispose());

  it('each over-long wait fails exactly once (one timeout message, one metric) however many instances sweep at once', async () => {
    test = await pgSchema.open();
    const instances = [instance(test.database), instance(await test.another()), instance(await test.another())];
    const conversations = new PgConversationIndex(test.database.pool);
    const late = Array.from({ length: 12 }, (_, n) => `late-${n}`);
    for (const id of late) await conversations.touch(queued(id, 10), () => ({}));
    await conversations.touch(queued('recent', 1), () => ({}));

    // Every instance sweeps three times, all at once: 9 sweeps race over the same 12 rows.
    const swept = await Promise.all(instances.flatMap(({ service }) => [service.sweep(), service.sweep(), service.sweep()]));

    expect(swept.reduce((sum, n) => sum + n, 0)).toBe(late.length);
    const failures = instances.flatMap(({ channel }) => channel.statuses);
    expect(failures.map((f) => f.conversationId).sort()).toEqual([...late].sort());
    expect(failures.every((f) => f.status.state === 'failed' && f.status.reason === 'no_agent')).toBe(true);
    expect(instances.flatMap(({ transitions }) => transitions)).toHaveLength(late.length);
    for (const id of late) expect((await conversations.get(id))?.handoffState).toBe('bot');
    expect((await conversations.get('recent'))?.handoffState).toBe('queued');
  });
});
