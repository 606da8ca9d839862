import { z } from 'zod';

/** One recognised seller utterance carried in the case summary. */
export const recognizedIntentSchema = z.object({
  text: z.string().max(2000),
  intent: z.string().max(100),
  score: z.number(),
});

/**
 * The `value` of the bot's `handoff.initiate` event: what the agent needs to pick up without asking again.
 * Validated at the boundary because it arrives from the bot as untyped activity JSON.
 */
export const caseSummarySchema = z.object({
  reason: z.enum(['seller_request', 'fallback']),
  locale: z.string().max(20),
  intents: z.array(recognizedIntentSchema).max(50).default([]),
  scenario: z.string().max(100).optional(),
  step: z.string().max(100).optional(),
  answers: z.record(z.string().max(100), z.string().max(2000)).default({}),
});

export type CaseSummary = z.infer<typeof caseSummarySchema>;
