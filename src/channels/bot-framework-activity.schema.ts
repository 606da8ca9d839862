import { z } from 'zod';
import { jsonDepthWithin, MAX_JSON_DEPTH } from './json-depth.js';

const account = z.looseObject({ id: z.string().min(1).max(256) });

/**
 * The minimum an activity posted to /api/messages needs before botbuilder sees it: without these
 * fields the adapter fails deep inside the turn. Everything else passes through untouched.
 */
export const botFrameworkActivitySchema = z.looseObject({
  type: z.string().min(1).max(64),
  channelId: z.string().min(1).max(64),
  serviceUrl: z.url({ protocol: /^https?$/ }),
  conversation: account,
  from: account,
  recipient: account,
  text: z.string().max(10_000).optional(),
  locale: z.string().max(32).optional(),
}).refine((activity) => jsonDepthWithin(activity, MAX_JSON_DEPTH + 1), {
  // +1: the activity itself is the first level. Transcripts store it as JSON that SQLite must be able to read.
  message: `the activity nests deeper than ${MAX_JSON_DEPTH} levels`,
});

/** The first problem with a posted activity, phrased for the client, or undefined when it is usable. */
export function activityProblem(body: unknown): string | undefined {
  const result = botFrameworkActivitySchema.safeParse(body);
  if (result.success) return undefined;
  const issue = result.error.issues[0];
  return `activity.${issue?.path.join('.') || '(body)'}: ${issue?.message ?? 'invalid'}`;
}
