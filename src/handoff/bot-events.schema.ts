import { z } from 'zod';

/**
 * `value` of the bot's outgoing `handoff.callback` event: the seller's callback form. One schema for both sides of
 * the contract: the callback dialog checks what the seller types with it (and sends its normalised output), the
 * handoff middleware checks the event with it at its boundary. Phones: +country digits, a mainland mobile, or a
 * landline with its area code; spaces and dashes dropped.
 */
export const callbackRequestSchema = z.object({
  name: z.string().trim().min(1).max(40),
  phone: z
    .string()
    .trim()
    .transform((phone) => phone.replace(/[\s-]/g, ''))
    .pipe(z.string().regex(/^(\+\d{6,15}|1[3-9]\d{9}|0\d{9,11})$/)),
});

/** `value` of the bot's outgoing `handoff.rating` event. */
export const ratingValueSchema = z.object({
  score: z.coerce.number().int().min(1).max(5),
});

/** `value` of the bot's outgoing `nlu.recognition` trace for one seller message. */
export const recognitionTraceSchema = z.object({
  text: z.string().max(5000).default(''),
  intent: z.string().min(1).max(100),
  score: z.number(),
  ambiguous: z.boolean().default(false),
});

/** Bot Framework event names of the handoff contract between the bot and the handoff middleware. */
export const HANDOFF_EVENT_NAMES = {
  initiate: 'handoff.initiate',
  status: 'handoff.status',
  cancel: 'handoff.cancel',
  callback: 'handoff.callback',
  rating: 'handoff.rating',
} as const;

/** Name of the bot's per-message NLU trace. */
export const RECOGNITION_TRACE_NAME = 'nlu.recognition';
