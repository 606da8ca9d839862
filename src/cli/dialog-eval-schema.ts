import { z } from 'zod';

const needle = z.string().min(1, 'empty strings match every reply');

/** One seller message and what the bot's reply to it must (not) show. */
export const evalTurnSchema = z.strictObject({
  /** What the seller types (a button label taps that button). */
  say: z.string().min(1),
  /** Every string must appear in the turn's reply text. */
  expect: z.array(needle).optional(),
  /** For each group, at least one of its strings must appear. */
  expectAny: z.array(z.array(needle).min(1)).optional(),
  /** None of these may appear in the reply text. */
  expectNot: z.array(needle).optional(),
  /** Button labels the last message of the turn must offer. */
  expectButtons: z.array(needle).optional(),
  /** An event the bot must emit in this turn, e.g. `handoff.initiate`. */
  expectEvent: z.string().min(1).optional(),
});

/** One conversation of the dialog evaluation: a line of its JSONL file. */
export const evalConversationSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, dot, dash, underscore'),
  /** The client's locale tag sent on every activity (zh-TW is answered in zh-CN, as in the widget). */
  locale: z.enum(['zh-CN', 'zh-TW', 'en']),
  tags: z.array(z.string().regex(/^[a-z_]+:[a-z0-9_.-]+$/, 'kind:value, e.g. aspect:duration')).default([]),
  turns: z.array(evalTurnSchema).min(1),
});

export type EvalTurn = z.infer<typeof evalTurnSchema>;
export type EvalConversation = z.infer<typeof evalConversationSchema>;
