import { maskPersonalData } from '../privacy/personal-data-mask.js';
import type { HandoffRepositories, RecognitionRecord } from '../handoff/ports.js';

/** The console's dashboard figures over the last `days` days. */
export interface Dashboard {
  readonly days: number;
  /** One entry per calendar day (office time zone), oldest first, including days without conversations. */
  readonly conversationsPerDay: Array<{ readonly day: string; readonly count: number }>;
  readonly conversations: number;
  /** Conversations in which a handoff was requested / conversations; null without conversations. */
  readonly handoffRate: number | null;
  readonly sellerMessages: number;
  /** Seller messages the bot did not understand (intent `none`) / seller messages; null without messages. */
  readonly fallbackRate: number | null;
  readonly topIntents: Array<{ readonly intent: string; readonly count: number }>;
  readonly latestNotUnderstood: Array<Pick<RecognitionRecord, 'conversationId' | 'text' | 'at'>>;
}

const MAX_RECOGNITIONS = 50_000;
const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : Math.round((part / whole) * 1000) / 1000);

/** Computes the dashboard from the conversation index and the recognition log. */
export async function buildDashboard(
  repositories: HandoffRepositories,
  options: { readonly days: number; readonly timeZone: string; readonly now: Date },
): Promise<Dashboard> {
  const dayOf = new Intl.DateTimeFormat('en-CA', { timeZone: options.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const day = (iso: string | Date): string => dayOf.format(typeof iso === 'string' ? new Date(iso) : iso);
  const days: string[] = [];
  for (let i = options.days - 1; i >= 0; i -= 1) {
    const d = day(new Date(options.now.getTime() - i * 86_400_000));
    if (!days.includes(d)) days.push(d);
  }
  // One extra day of data so the first calendar day is complete whatever the time zone offset.
  const since = new Date(options.now.getTime() - (options.days + 1) * 86_400_000).toISOString();
  const first = days[0] ?? day(options.now);
  const conversations = (await repositories.conversations.listCreatedSince(since)).filter((c) => day(c.createdAt) >= first);
  const counts = new Map(days.map((d) => [d, 0]));
  for (const c of conversations) counts.set(day(c.createdAt), (counts.get(day(c.createdAt)) ?? 0) + 1);
  const handedOff = conversations.filter((c) => c.handoffRequestedAt !== null).length;

  const recognitions = (await repositories.recognitions.listSince(since, MAX_RECOGNITIONS)).filter((r) => day(r.at) >= first);
  const intents = new Map<string, number>();
  let notUnderstood = 0;
  for (const r of recognitions) {
    if (r.intent === 'none') notUnderstood += 1;
    else intents.set(r.intent, (intents.get(r.intent) ?? 0) + 1);
  }
  const latest = await repositories.recognitions.latestNotUnderstood(10);
  return {
    days: options.days,
    conversationsPerDay: days.map((d) => ({ day: d, count: counts.get(d) ?? 0 })),
    conversations: conversations.length,
    handoffRate: ratio(handedOff, conversations.length),
    sellerMessages: recognitions.length,
    fallbackRate: ratio(notUnderstood, recognitions.length),
    topIntents: [...intents.entries()]
      .map(([intent, count]) => ({ intent, count }))
      .sort((a, b) => b.count - a.count || a.intent.localeCompare(b.intent))
      .slice(0, 10),
    // Masked again here: rows stored before masking existed still hold the seller's words.
    latestNotUnderstood: latest.map(({ conversationId, text, at }) => ({ conversationId, text: maskPersonalData(text), at })),
  };
}
