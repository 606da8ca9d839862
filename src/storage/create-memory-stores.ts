import { MemoryStorage } from 'botbuilder';
import { SyncStoreAdapter } from '../channels/directline/sync-store-adapter.js';
import { MemoryConversationStore } from '../channels/directline/memory-conversation-store.js';
import { createInMemoryConsoleRepositories } from '../console/in-memory.repositories.js';
import { createInMemoryHandoffRepositories } from '../handoff/in-memory.repositories.js';
import type { Logger } from '../logger.js';
import { DurableTranscriptLoggerMiddleware } from './durable-transcript-logger.middleware.js';
import { MemorySellerData } from './memory-seller-data.js';
import { MemoryTranscriptStore } from './memory-transcript.store.js';
import { memoryRateLimits } from './rate-limits.js';
import type { Stores } from './stores.js';

/** STORAGE=memory: the same stores, in process memory, lost on exit. */
export function createMemoryStores(logger: Logger): Stores {
  const transcripts = new MemoryTranscriptStore();
  // MemoryStorage keeps its items in this object; the seller-data erasure deletes keys from it.
  const state: Record<string, string> = {};
  const conversations = new MemoryConversationStore();
  // The transcript store searches every activity, not only recognised seller messages.
  const handoff = { ...createInMemoryHandoffRepositories(), transcriptSearch: transcripts };
  return {
    storage: new MemoryStorage(state),
    transcripts,
    transcriptMiddleware: new DurableTranscriptLoggerMiddleware(transcripts, logger),
    conversations: new SyncStoreAdapter(conversations),
    handoff,
    console: createInMemoryConsoleRepositories(),
    sellerData: new MemorySellerData({ transcripts, conversations, handoff, state }),
    limits: memoryRateLimits(),
    recovered: { backfilled: 0, unanswered: [] },
    // Nothing to reach or migrate; nothing is committed anywhere.
    readiness: () => ({ ready: true, problems: [] }),
    onCommit: () => () => undefined,
    close: () => undefined,
  };
}
