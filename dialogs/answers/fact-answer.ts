import type { TurnContext } from 'botbuilder';
import type { FactFinding, FactQuery } from '../../src/knowledge/fact-finder.js';
import { SCENARIO_IDS, type TopicId } from '../../src/knowledge/knowledge-schema.js';
import { translate, type DialogServices } from '../shared/dialog-services.js';
import { sendTexts, withSourceNote, topicLabels } from '../shared/replies.js';

/** What the reply offered next, so the router knows how to read the seller's next message. */
export type FactReplyOffer = 'guide' | 'none';

/**
 * Answers the asked aspect in one message: the facts with their figures and inline sources (or, where the article
 * is silent, that it is, what it says nearby and a consultant), then the source note. Outside a flow it offers one
 * tap onward: "shall I guide you step by step?" for a scenario, the full answer for an FAQ. Inside a flow it adds
 * no buttons: the caller asks the pending step again or offers to resume, so only one set of buttons is live.
 */
export async function sendFactAnswer(
  services: DialogServices,
  context: TurnContext,
  query: FactQuery,
  finding: FactFinding,
  inFlow: boolean,
): Promise<FactReplyOffer> {
  const t = translate(services, context);
  const paragraphs: string[] = [];
  if (finding.silentOn) {
    paragraphs.push(t('facts:silent', { topic: t(`topics:${query.topic}`), aspect: t(`facts:aspect.${finding.silentOn}`) }));
    if (finding.facts.length > 0) paragraphs.push(t('facts:nearby'));
  }
  paragraphs.push(...finding.facts.map((fact) => t(fact.text)));
  const silent = finding.silentOn !== undefined || finding.facts.some((fact) => fact.silent);
  if (silent) paragraphs.push(t('facts:ask_consultant'));
  const body = withSourceNote(services, context, paragraphs.join('\n\n'));
  if (inFlow) {
    await sendTexts(context, [body]);
    return 'none';
  }
  const human: TopicId[] = silent ? ['handoff.human'] : [];
  if ((SCENARIO_IDS as readonly string[]).includes(query.topic)) {
    await sendTexts(context, [body, t('facts:guide_offer')], [
      t('facts:guide_yes'),
      ...topicLabels(services, context, [...human, 'menu.main']),
    ]);
    return 'guide';
  }
  await sendTexts(context, [body], topicLabels(services, context, [query.topic, ...human, 'menu.faq']));
  return 'none';
}
