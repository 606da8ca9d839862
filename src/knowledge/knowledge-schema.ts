import { z } from 'zod';
import { ASPECT_IDS, STATED_FACT_IDS } from '../nlu/cues.js';

/** The article's answers: FAQs, the core logic and the risk tips. */
export const ANSWER_IDS = [
  'core.relationship',
  'faq.one_click_unbind',
  'faq.close_store_effect',
  'faq.personal_store',
  'faq.wrong_entity',
  'faq.cxt_expiry',
  'risk.compliance',
] as const;
export type AnswerId = (typeof ANSWER_IDS)[number];

export const SCENARIO_IDS = ['scenario.close_store', 'scenario.change_entity', 'scenario.deregister'] as const;
export type ScenarioId = (typeof SCENARIO_IDS)[number];

export const MENU_IDS = ['menu.main', 'menu.faq'] as const;
export type MenuId = (typeof MENU_IDS)[number];

/** Topics that hold facts: the article's answers and its scenarios. */
export const FACT_TOPIC_IDS = [...ANSWER_IDS, ...SCENARIO_IDS] as const;
export type FactTopicId = (typeof FACT_TOPIC_IDS)[number];

/**
 * Narrower things a question can be about inside one topic (the deposit inside store closure, the CXT track
 * inside deregistration...): they pick the right fact among a topic's facts of the same aspect.
 */
export const SUBJECT_IDS = ['history', 'forced_closure', 'cxt_termination', 'deposit', 'inventory', 'orders'] as const;
export type SubjectId = (typeof SUBJECT_IDS)[number];

/** Dotted ids of everything a seller can ask for or tap: answers, scenarios, menus and the handoff. */
export const TOPIC_IDS = [...ANSWER_IDS, ...SCENARIO_IDS, ...MENU_IDS, 'handoff.human'] as const;
export const topicIdSchema = z.enum(TOPIC_IDS);
export type TopicId = z.infer<typeof topicIdSchema>;

/** An i18n key, `namespace:dotted.path`; existence in every locale is checked by the loader. */
const i18nKey = z.string().regex(/^[a-z_]+:[a-z0-9_.]+$/, 'expected an i18n key such as "answers:faq.cxt_expiry"');
const localId = z.string().regex(/^[a-z0-9_]+$/, 'expected a lower_snake_case id');

/**
 * Where a choice leads: another step of the same scenario, `@later` (pause, back to the menu),
 * `@handoff` (a human consultant) or `topic:<topic id>` (leave the scenario for that topic).
 */
const choiceTarget = z.union([
  localId,
  z.enum(['@later', '@handoff']),
  z.templateLiteral(['topic:', topicIdSchema]),
]);

const choiceSchema = z.object({
  id: localId,
  label: i18nKey,
  /** Lets the seller answer with any yes/no word from `commands:yes` / `commands:no`. */
  kind: z.enum(['yes', 'no']).optional(),
  next: choiceTarget,
  /** A progress flag this choice records (remembered across the conversation). */
  sets: localId.optional(),
  /** Not offered once this flag is recorded. */
  hiddenWhen: localId.optional(),
});

/** A seller's statement that answers a step: a yes/no fact, or which registration item changed (choice id). */
const filledBySchema = z.union([z.enum(STATED_FACT_IDS), z.literal('change_kind')]);

const stepSchema = z
  .object({
    messages: z.array(i18nKey).min(1),
    sources: z.array(localId).default([]),
    /** Ask the seller; without choices the step either moves on (`next`) or ends the scenario. */
    choices: z.array(choiceSchema).min(1).optional(),
    /** Move straight on to this step after the messages. */
    next: localId.optional(),
    /** Skip to `next` as soon as every flag is recorded. */
    doneWhen: z.object({ flags: z.array(localId).min(1), next: localId }).optional(),
    /** One line per recorded flag, shown with the step's messages. */
    flagNotes: z.record(localId, i18nKey).default({}),
    /** Offered as buttons when the scenario ends here. */
    followUps: z.array(topicIdSchema).default([]),
    /** Answered without asking when the seller already stated this (the choice of that kind or id is taken). */
    filledBy: filledBySchema.optional(),
  })
  .refine((step) => !(step.choices && step.next), { message: 'a step has either choices or next, not both' });

const scenarioSchema = z.object({
  start: localId,
  steps: z.record(localId, stepSchema),
});

const answerSchema = z.object({
  messages: z.array(i18nKey).min(1),
  sources: z.array(localId),
  followUps: z.array(topicIdSchema),
  /** The closing question that leads to the follow-up buttons (sent last, right before them). */
  prompt: i18nKey.optional(),
  /** What the whole answer is about: a question asking only these gets the full answer rather than single facts. */
  mainAspects: z.array(z.enum(ASPECT_IDS)).default([]),
});

/**
 * One fact of the article, addressable by the aspect a seller asks about (how long, where, which documents...).
 * `silent` facts say what the article does not give (the bot then offers a consultant instead of guessing).
 */
const factSchema = z.object({
  topics: z.array(z.enum(FACT_TOPIC_IDS)).min(1),
  aspects: z.array(z.enum(ASPECT_IDS)).min(1),
  subject: z.enum(SUBJECT_IDS).optional(),
  text: i18nKey,
  sources: z.array(localId).default([]),
  silent: z.boolean().default(false),
});

const menuSchema = z.object({
  prompt: i18nKey,
  options: z.array(topicIdSchema).min(1),
});

export const knowledgeSchema = z.object({
  $comment: z.string().optional(),
  sources: z.record(localId, i18nKey),
  menus: z.object({ 'menu.main': menuSchema, 'menu.faq': menuSchema }),
  answers: z.object(Object.fromEntries(ANSWER_IDS.map((id) => [id, answerSchema])) as Record<AnswerId, typeof answerSchema>),
  scenarios: z.object(
    Object.fromEntries(SCENARIO_IDS.map((id) => [id, scenarioSchema])) as Record<ScenarioId, typeof scenarioSchema>,
  ),
  /** In order of preference: when several facts answer one question, the first ones are shown. */
  facts: z.record(z.string().regex(/^[a-z_]+\.[a-z0-9_.]+$/, 'expected a dotted fact id'), factSchema),
});

export type Knowledge = z.infer<typeof knowledgeSchema>;
export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioStep = z.infer<typeof stepSchema>;
export type ScenarioChoice = z.infer<typeof choiceSchema>;
export type Answer = z.infer<typeof answerSchema>;
export type Fact = z.infer<typeof factSchema>;
export type FilledBy = z.infer<typeof filledBySchema>;
