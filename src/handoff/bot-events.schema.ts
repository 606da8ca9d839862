import { z } from 'zod';

/** Phone numbers a seller may leave for a callback (same shape as CONSULTANT_PHONE). */
export const PHONE_PATTERN = /^\+?[0-9 ()-]{5,20}$/;

/** `value` of the bot's outgoing `handoff.callback` event: the seller's callback form. */
export const callbackFormSchema = z.object({
  name: z.string().trim().min(1).max(100),
  phone: z.string().trim().regex(PHONE_PATTERN),
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
