import { ActionTypes, ActivityTypes, type Activity, type CardAction, type TurnContext } from 'botbuilder';
import type { TopicId } from '../../src/knowledge/knowledge-schema.js';
import { translate, turnLocale, type DialogServices } from './dialog-services.js';

/** A message with optional tap-to-send buttons (Web Chat renders suggested actions as buttons). */
export function messageWithButtons(context: TurnContext, text: string, buttons: readonly string[] = []): Partial<Activity> {
  const activity: Partial<Activity> = {
    type: ActivityTypes.Message,
    text,
    textFormat: 'markdown',
    locale: turnLocale(context),
  };
  if (buttons.length > 0) {
    const actions: CardAction[] = buttons.map((label) => ({ type: ActionTypes.ImBack, title: label, value: label }));
    activity.suggestedActions = { to: [], actions };
  }
  return activity;
}

/** Button labels for topics, in the turn's language. */
export function topicLabels(services: DialogServices, context: TurnContext, topics: readonly TopicId[]): string[] {
  const t = translate(services, context);
  return topics.map((topic) => t(`topics:${topic}`));
}

/** Sends the texts as separate bubbles; the buttons go on the last one. */
export async function sendTexts(context: TurnContext, texts: readonly string[], buttons: readonly string[] = []): Promise<void> {
  const activities = texts.map((text, index) =>
    messageWithButtons(context, text, index === texts.length - 1 ? buttons : []),
  );
  await context.sendActivities(activities);
}

/**
 * The "based on the 2024 rules; the official help centre prevails" line. Figures name their
 * source inline, as the article does (the `sources` in content record their provenance).
 */
export function sourceNote(services: DialogServices, context: TurnContext): string {
  return translate(services, context)('sources:note');
}

/**
 * The text with the source note as its last paragraph: the note travels inside the message it qualifies, so it
 * never stands between a question and its buttons.
 */
export function withSourceNote(services: DialogServices, context: TurnContext, text: string): string {
  return `${text}\n\n${sourceNote(services, context)}`;
}
