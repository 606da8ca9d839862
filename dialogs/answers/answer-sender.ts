import type { TurnContext } from 'botbuilder';
import type { AnswerId, MenuId } from '../../src/knowledge/knowledge-schema.js';
import { translate, type DialogServices } from '../shared/dialog-services.js';
import { sendTexts, topicLabels, withSourceNote } from '../shared/replies.js';

/**
 * Sends one of the article's answers (FAQ, core logic, risk tips): its texts, the source note inside the last of
 * them, then its closing question (if any) directly followed by the follow-up buttons. `withButtons: false` (an
 * answer given in the middle of a flow) leaves the buttons to the caller, so that only one set is ever live.
 */
export async function sendAnswer(
  services: DialogServices,
  context: TurnContext,
  answerId: AnswerId,
  withButtons = true,
): Promise<void> {
  const answer = services.knowledge.answers[answerId];
  const t = translate(services, context);
  const texts = answer.messages.map((key) => t(key));
  texts.push(withSourceNote(services, context, texts.pop()!));
  if (answer.prompt && withButtons) texts.push(t(answer.prompt));
  await sendTexts(context, texts, withButtons ? topicLabels(services, context, answer.followUps) : []);
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
