import { ActivityTypes, type Activity, type TranscriptStore } from 'botbuilder';
import type { TranscriptEntry } from '../handoff/live-events.js';
import type { TranscriptReader } from '../console/ports.js';
import { RECOGNITION_TRACE_NAME, recognitionTraceSchema } from '../handoff/bot-events.schema.js';

/** Activity types and events the console shows; traces annotate seller messages instead. */
const isShown = (a: Partial<Activity>): boolean =>
  a.type === ActivityTypes.Message || (a.type === ActivityTypes.Event && (a.name ?? '').startsWith('handoff.'));

/** Converts a Bot Framework activity to the console's transcript line. */
export function toTranscriptEntry(activity: Partial<Activity>, fallbackTime: Date): TranscriptEntry {
  const timestamp = activity.timestamp ? new Date(activity.timestamp) : fallbackTime;
  return {
    id: activity.id ?? '',
    type: activity.type ?? ActivityTypes.Message,
    ...(activity.name ? { name: activity.name } : {}),
    ...(typeof activity.text === 'string' ? { text: activity.text } : {}),
    from: {
      id: activity.from?.id ?? '',
      ...(activity.from?.name ? { name: activity.from.name } : {}),
      ...(activity.from?.role ? { role: activity.from.role } : {}),
    },
    timestamp: Number.isNaN(timestamp.getTime()) ? fallbackTime.toISOString() : timestamp.toISOString(),
    ...(activity.type === ActivityTypes.Event && activity.value !== undefined ? { value: activity.value } : {}),
  };
}

/** Reads a conversation's transcript for the console, joining each seller message with the bot's recognition trace. */
export class TranscriptStoreReader implements TranscriptReader {
  constructor(
    private readonly store: TranscriptStore,
    private readonly maxPages = 250,
  ) {}

  async read(channelId: string, conversationId: string): Promise<TranscriptEntry[]> {
    const activities: Activity[] = [];
    let token: string | undefined;
    for (let page = 0; page < this.maxPages; page += 1) {
      const result = await this.store.getTranscriptActivities(channelId, conversationId, token);
      activities.push(...result.items);
      token = result.continuationToken;
      if (!token) break;
    }
    const recognitions = new Map<string, { intent: string; score: number }>();
    for (const a of activities) {
      if (a.type !== ActivityTypes.Trace || a.name !== RECOGNITION_TRACE_NAME || !a.replyToId) continue;
      const parsed = recognitionTraceSchema.safeParse(a.value);
      if (parsed.success) recognitions.set(a.replyToId, { intent: parsed.data.intent, score: parsed.data.score });
    }
    const now = new Date();
    const seen = new Set<string>();
    const entries: TranscriptEntry[] = [];
    for (const a of activities) {
      if (!isShown(a)) continue;
      // A retried write may log one activity twice; show it once.
      if (a.id && seen.has(`${a.type}:${a.id}`)) continue;
      if (a.id) seen.add(`${a.type}:${a.id}`);
      const entry = toTranscriptEntry(a, now);
      const recognition = a.id ? recognitions.get(a.id) : undefined;
      entries.push(recognition ? { ...entry, ...recognition } : entry);
    }
    return entries;
  }
}
