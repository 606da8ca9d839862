import type { TurnContext } from 'botbuilder';
import type { AnswerId, MenuId } from '../../src/knowledge/knowledge-schema.js';
import { translate, type DialogServices } from '../shared/dialog-services.js';
import { sendTexts, sourceNote, topicLabels } from '../shared/replies.js';

/** Sends one of the article's answers (FAQ, core logic, risk tips) with its sources and follow-up buttons. */
export async function sendAnswer(services: DialogServices, context: TurnContext, answerId: AnswerId): Promise<void> {
  const answer = services.knowledge.answers[answerId];
  const t = translate(services, context);
  await sendTexts(
    context,
    [...answer.messages.map((key) => t(key)), sourceNote(services, context)],
    topicLabels(services, context, answer.followUps),
  );
}

/** Sends a menu: its prompt (or the given lead text) with one button per option. */
export async function sendMenu(
  services: DialogServices,
  context: TurnContext,
  menuId: MenuId,
  leadText?: string,
): Promise<void> {
  const menu = services.knowledge.menus[menuId];
  const t = translate(services, context);
  const texts = leadText ? [leadText] : [t(menu.prompt)];
  await sendTexts(context, texts, topicLabels(services, context, menu.options));
}
