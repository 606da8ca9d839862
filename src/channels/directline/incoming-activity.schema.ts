import { z } from 'zod';
import { AGENT_ID_PREFIX, isAgentId, isReservedEventName } from '../bot-framework-activity-policy.js';
import { jsonDepthWithin, MAX_JSON_DEPTH } from '../json-depth.js';

const account = z.object({
  id: z.string().max(256).optional(),
  name: z.string().max(256).optional(),
  role: z.string().max(32).optional(),
});

/**
 * An activity a Direct Line client posts. Unknown fields are dropped; the channel sets `id`, `timestamp`,
 * `conversation`, `recipient`, `channelId` and the user id itself, so clients cannot forge them.
 */
export const incomingActivitySchema = z
  .object({
    type: z.enum(['message', 'event', 'typing']),
    text: z.string().max(8000).optional(),
    textFormat: z.enum(['plain', 'markdown', 'xml']).optional(),
    locale: z
      .string()
      .max(35)
      .regex(/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/, 'expected a BCP-47 tag such as zh-CN')
      .optional(),
    name: z.string().min(1).max(256).optional(),
    value: z.unknown().optional(),
    channelData: z.record(z.string(), z.unknown()).optional(),
    from: account.optional(),
    attachments: z.array(z.unknown()).max(0, 'attachments are not supported by this server').optional(),
    entities: z.array(z.object({ type: z.string().max(64) }).catchall(z.unknown())).max(32).optional(),
    replyToId: z.string().max(256).optional(),
    inputHint: z.string().max(32).optional(),
  })
  // Stored as JSON and read back by SQLite's JSON functions: deep nesting is refused before anything is stored.
  .refine((a) => jsonDepthWithin([a.value, a.channelData, a.entities], MAX_JSON_DEPTH), {
    message: `value, channelData and entities may nest at most ${MAX_JSON_DEPTH} levels`,
    path: ['value'],
  })
  .refine((a) => a.type !== 'event' || a.name !== undefined, { message: 'an event needs a name', path: ['name'] })
  .refine((a) => a.type !== 'event' || !isReservedEventName(a.name), {
    message: 'handoff.* events are emitted by this server only',
    path: ['name'],
  })
  .refine((a) => a.type !== 'message' || (a.text !== undefined && a.text.length > 0) || a.value !== undefined, {
    message: 'a message needs text or a value',
    path: ['text'],
  });

export type IncomingActivity = z.infer<typeof incomingActivitySchema>;

/** Body of `POST /conversations` and `POST /tokens/generate`: both fields optional. */
export const startConversationSchema = z
  .object({
    user: z
      .object({
        id: z
          .string()
          .regex(/^[\w.:@-]{1,64}$/, 'user ids are 1-64 letters, digits or . : @ - _')
          .refine((id) => !isAgentId(id), `user ids starting with "${AGENT_ID_PREFIX}" belong to staff`)
          .optional(),
        name: z.string().max(256).optional(),
      })
      .optional(),
    locale: z.string().max(35).regex(/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/).optional(),
  })
  .optional()
  .transform((body) => body ?? {});

export type StartConversationBody = z.output<typeof startConversationSchema>;

/** A watermark from a query string: empty or absent means "from the start". */
export const watermarkSchema = z
  .union([z.undefined(), z.literal(''), z.string().regex(/^\d{1,12}$/)])
  .transform((w) => (w === undefined || w === '' ? 0 : Number(w)));
