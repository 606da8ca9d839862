import type { HandoffService } from '../handoff/handoff-service.js';
import type { HandoffState } from '../handoff/handoff-state.js';
import type { ConversationSummary, LiveHub, TranscriptEntry } from '../handoff/live-events.js';
import type { CallbackRequest, CallbackStatus, HandoffRepositories, Rating } from '../handoff/ports.js';
import type { CaseSummary } from '../handoff/case-summary.js';
import type { TranscriptReader } from './ports.js';
import { buildDashboard, type Dashboard } from './dashboard.js';

/** Collaborators of {@link ConsoleQueries}. */
export interface ConsoleQueriesOptions {
  readonly handoff: HandoffService;
  readonly repositories: HandoffRepositories;
  readonly transcripts: TranscriptReader;
  /** OFFICE_TIMEZONE: the dashboard's days are calendar days there. */
  readonly timeZone: string;
  /** Pushes callback status changes to every console. */
  readonly live?: LiveHub;
  readonly now?: () => Date;
}

/** One conversation with everything the console's conversation view shows. */
export interface ConversationDetail {
  readonly conversation: ConversationSummary;
  readonly caseCard: CaseSummary | null;
  readonly transcript: TranscriptEntry[];
}

const STATE_ORDER: Record<HandoffState, number> = { queued: 0, agent: 1, bot: 2, closed: 3 };

/** Sellers waiting for a person first (longest wait first), then with an agent, bot only, closed (latest first). */
export function compareForConsole(a: ConversationSummary, b: ConversationSummary): number {
  const byState = STATE_ORDER[a.handoffState] - STATE_ORDER[b.handoffState];
  if (byState !== 0) return byState;
  if (a.handoffState === 'queued') return (a.waitingSince ?? '').localeCompare(b.waitingSince ?? '');
  return b.lastActivityAt.localeCompare(a.lastActivityAt);
}

/** Read side of the console API. */
export class ConsoleQueries {
  private readonly now: () => Date;

  constructor(private readonly options: ConsoleQueriesOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** Conversations in the given states (all when empty), optionally only those whose transcript matches `search`. */
  async listConversations(states: readonly HandoffState[], search?: string, limit = 200): Promise<ConversationSummary[]> {
    const { repositories, handoff } = this.options;
    let conversationIds: string[] | undefined;
    if (search && search.trim() !== '') {
      conversationIds = await repositories.transcriptSearch.searchConversations(search.trim(), limit);
      if (conversationIds.length === 0) return [];
    }
    const records = await repositories.conversations.list({ states, limit, ...(conversationIds ? { conversationIds } : {}) });
    const queue = (await handoff.queue()).map((r) => r.conversationId);
    return records
      .map(({ reference: _reference, ...rest }) => {
        const index = queue.indexOf(rest.conversationId);
        return { ...rest, queuePosition: rest.handoffState === 'queued' && index >= 0 ? index + 1 : null };
      })
      .sort(compareForConsole);
  }

  /** The conversation view, or undefined for an unknown id. */
  async getConversation(conversationId: string): Promise<ConversationDetail | undefined> {
    const { repositories, handoff, transcripts } = this.options;
    const record = await repositories.conversations.get(conversationId);
    if (!record) return undefined;
    const [entries, recognitions] = await Promise.all([
      transcripts.read(record.channelId, conversationId),
      repositories.recognitions.listByConversation(conversationId),
    ]);
    // Traces in the transcript annotate seller messages; the recognition log fills in where a trace is missing.
    const byActivity = new Map(recognitions.map((r) => [r.activityId, r]));
    const transcript = entries.map((entry) => {
      const recognition = entry.intent === undefined ? byActivity.get(entry.id) : undefined;
      return recognition ? { ...entry, intent: recognition.intent, score: recognition.score } : entry;
    });
    return { conversation: await handoff.summarize(record), caseCard: record.caseSummary, transcript };
  }

  async dashboard(days: number): Promise<Dashboard> {
    return buildDashboard(this.options.repositories, { days, timeZone: this.options.timeZone, now: this.now() });
  }

  async callbacks(status?: CallbackStatus): Promise<CallbackRequest[]> {
    return this.options.repositories.callbacks.list(status ? { status } : {});
  }

  async setCallbackStatus(id: string, status: CallbackStatus, by: string): Promise<CallbackRequest | undefined> {
    const updated = await this.options.repositories.callbacks.setStatus(id, status, status === 'done' ? by : null);
    if (updated) this.options.live?.publish({ type: 'callback', callback: updated });
    return updated;
  }

  async ratings(): Promise<{ ratings: Rating[]; average: number | null }> {
    const ratings = await this.options.repositories.ratings.list({ limit: 500 });
    const average = ratings.length === 0 ? null : Math.round((ratings.reduce((s, r) => s + r.score, 0) / ratings.length) * 100) / 100;
    return { ratings, average };
  }
}
