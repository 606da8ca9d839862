import { MemoryStorage } from 'botbuilder';
import { MemoryConversationStore } from '../channels/directline/memory-conversation-store.js';
import { createInMemoryConsoleRepositories } from '../console/in-memory.repositories.js';
import { createInMemoryHandoffRepositories } from '../handoff/in-memory.repositories.js';
import type { Logger } from '../logger.js';
import { DurableTranscriptLoggerMiddleware } from './durable-transcript-logger.middleware.js';
import { MemoryTranscriptStore } from './memory-transcript.store.js';
import type { Stores } from './stores.js';

/** STORAGE=memory: the same stores, in process memory, lost on exit. */
export function createMemoryStores(logger: Logger): Stores {
  const transcripts = new MemoryTranscriptStore();
  return {
    storage: new MemoryStorage(),
    transcripts,
    transcriptMiddleware: new DurableTranscriptLoggerMiddleware(transcripts, logger),
    conversations: new MemoryConversationStore(),
    // The transcript store searches every activity, not only recognised seller messages.
    handoff: { ...createInMemoryHandoffRepositories(), transcriptSearch: transcripts },
    console: createInMemoryConsoleRepositories(),
    recovered: { backfilled: 0, unanswered: [] },
    // Nothing to reach or migrate; nothing is committed anywhere.
    readiness: () => ({ ready: true, problems: [] }),
    onCommit: () => () => undefined,
    close: () => undefined,
  };
}
