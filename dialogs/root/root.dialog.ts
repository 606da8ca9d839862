import { ActivityTypes, type Activity } from 'botbuilder';
import { ComponentDialog, Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { toSupportedLocale, type SupportedLocale } from '../../src/i18n/supported-locales.js';
import type { FactQuery } from '../../src/knowledge/fact-finder.js';
import {
  ANSWER_IDS,
  FACT_TOPIC_IDS,
  SCENARIO_IDS,
  type AnswerId,
  type FactTopicId,
  type ScenarioId,
  type SubjectId,
  type TopicId,
} from '../../src/knowledge/knowledge-schema.js';
import type { Cues, StatedFactId } from '../../src/nlu/cues.js';
import { isIntentId, type IntentId } from '../../src/nlu/intents.js';
import type { Recognition } from '../../src/nlu/recognizer.js';
import { sendAnswer, sendMenu } from '../answers/answer-sender.js';
import { sendFactAnswer } from '../answers/fact-answer.js';
import { CallbackDialog, CALLBACK_DIALOG_ID } from '../handoff/callback.dialog.js';
import { HANDOFF_EVENT_NAMES, RECOGNITION_TRACE_NAME } from '../../src/handoff/bot-events.schema.js';
import { onHandoffStatus } from '../handoff/handoff-status.js';
import { RatingDialog, RATING_DIALOG_ID } from '../handoff/rating.dialog.js';
import { startHandoff, type HandoffReason } from '../handoff/start-handoff.js';
import { ScenarioDialog, type ScenarioExit } from '../scenario/scenario.dialog.js';
import { detectLanguage } from '../shared/detect-language.js';
import { loadProfile, setTurnLocale, translate, turnCues, type DialogServices } from '../shared/dialog-services.js';
import { messageWithButtons, sendTexts, topicLabels, withSourceNote } from '../shared/replies.js';
import type { SubjectSighting } from '../shared/subject-spotter.js';
import { MAX_RECOGNISED_KEPT, newSellerProfile, type SellerProfile } from '../shared/seller-profile.js';

export const ROOT_DIALOG_ID = 'root';

/** Trace activity name carrying each recognition to the transcript (never shown to the seller). */

/** Intents that are questions about the topic (they interrupt a rating or callback prompt). */
const TOPIC_INTENTS = [...ANSWER_IDS, ...SCENARIO_IDS] as const;

/** How sure the matcher's runner-up must be to place an aspect question it rejected (0.2: about one in five). */
const RUNNER_UP_FOR_ASPECT = 0.2;

/** Subjects a seller names when stating their situation, with the stated fact that names them. */
const STATED_BY_SUBJECT: Partial<Record<SubjectId, StatedFactId>> = {
  deposit: 'deposit_paid',
  inventory: 'inventory_cleared',
  orders: 'orders_fulfilled',
};

/** How sure the runner-up of a rejected question must be for "did you mean ...?" instead of "not understood". */
const RUNNER_UP_TO_SUGGEST = 0.35;

/** Misunderstood messages in a row before the bot offers a human. */
const MISSES_BEFORE_HANDOFF_OFFER = 2;


/**
 * The conversation's router, always at the bottom of the dialog stack. Each turn it decides the
 * language, handles interruptions (menu, cancel, start over, human, language), lets an active
 * scenario take its answer, and otherwise routes the message through the intent matcher: answer,
 * ask which of two close intents was meant, or admit it did not understand (and offer a human).
 */
export class RootDialog extends ComponentDialog {
  private readonly scenarios = new Map<string, ScenarioDialog>();

  constructor(private readonly services: DialogServices) {
    super(ROOT_DIALOG_ID);
    for (const id of SCENARIO_IDS) {
      const scenario = new ScenarioDialog(id, services);
      this.scenarios.set(id, scenario);
      this.addDialog(scenario);
    }
    this.addDialog(new CallbackDialog(services));
    this.addDialog(new RatingDialog(services));
  }

  protected override async onBeginDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    return this.onTurn(innerDc);
  }

  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    return this.onTurn(innerDc);
  }

  private async onTurn(dc: DialogContext): Promise<DialogTurnResult> {
    const activity = dc.context.activity;
    const profile = await loadProfile(this.services, dc.context);
    setTurnLocale(dc.context, this.chooseLocale(profile, activity));
    if (activity.type === ActivityTypes.ConversationUpdate) {
      const joined = (activity.membersAdded ?? []).some((member) => member.id !== activity.recipient?.id);
      if (joined) await this.welcome(dc);
    } else if (activity.type === ActivityTypes.Event) {
      await onHandoffStatus(this.services, dc, profile);
    } else if (activity.type === ActivityTypes.Message) {
      await this.onMessage(dc, profile, activity.text ?? '');
    }
    // The router never ends: it waits for the next activity.
    return Dialog.EndOfTurn;
  }

  private chooseLocale(profile: SellerProfile, activity: Activity): SupportedLocale {
    const detected = activity.type === ActivityTypes.Message ? detectLanguage(activity.text ?? '') : undefined;
    const locale =
      profile.chosenLocale ??
      detected ??
      profile.lastLocale ??
      toSupportedLocale(activity.locale, this.services.config.DEFAULT_LOCALE);
    profile.lastLocale = locale;
    return locale;
  }

  private async onMessage(dc: DialogContext, profile: SellerProfile, text: string): Promise<void> {
    if (text.trim().length === 0) return;
    const t = translate(this.services, dc.context);
    const command = this.services.phrases.command(text);
    const pending = profile.pending;
    profile.pending = undefined;
    const cues = turnCues(this.services, dc.context);
    // A tapped button ("Company deregistered: end everything") names a topic; it states nothing about the seller.
    if (!this.services.phrases.topic(text)) rememberStated(profile, cues);

    if (command === 'english' || command === 'chinese') {
      profile.chosenLocale = command === 'english' ? 'en' : 'zh-CN';
      profile.lastLocale = profile.chosenLocale;
      setTurnLocale(dc.context, profile.chosenLocale);
      await sendTexts(dc.context, [translate(this.services, dc.context)('menu:language_switched')]);
      if (this.activeScenario(dc)) await dc.repromptDialog();
      else await sendMenu(this.services, dc.context, 'menu.main');
      return;
    }

    const activeId = dc.activeDialog?.id;
    if (activeId === CALLBACK_DIALOG_ID || activeId === RATING_DIALOG_ID) {
      if (command === 'human') {
        await dc.cancelAllDialogs();
        return startHandoff(this.services, dc.context, 'seller_request');
      }
      const leaves = command === 'cancel' || command === 'menu' || command === 'restart';
      // A question instead of a rating or a name is answered below; the prompt is asked again after it.
      if (!leaves && !this.isQuestion(text)) {
        await this.continueChild(dc, profile);
        return;
      }
      if (leaves) await dc.endDialog();
    }

    if (pending === 'resume' && (command === 'continue' || this.isLabel(text, 'scenario:continue'))) {
      const scenario = this.activeScenario(dc);
      if (scenario) {
        await sendTexts(dc.context, [t('scenario:resume', { scenario: t(`topics:${scenario.scenarioId}`) })]);
        await dc.repromptDialog();
        return;
      }
    }
    if (pending === 'handoff') {
      if (command === 'yes') return startHandoff(this.services, dc.context, 'fallback');
      if (command === 'no' || this.isLabel(text, 'common:offer_human_no')) {
        profile.misses = 0;
        await dc.cancelAllDialogs();
        return sendMenu(this.services, dc.context, 'menu.main');
      }
    }

    if (pending === 'guide' && (command === 'yes' || this.isLabel(text, 'facts:guide_yes')) && profile.topic) {
      return this.runTopic(dc, profile, profile.topic);
    }

    switch (command) {
      case 'menu':
        profile.misses = 0;
        await dc.cancelAllDialogs();
        return sendMenu(this.services, dc.context, 'menu.main');
      case 'cancel':
        return this.cancel(dc, profile);
      case 'restart':
        await dc.cancelAllDialogs();
        Object.assign(profile, { ...newSellerProfile(), chosenLocale: profile.chosenLocale, lastLocale: profile.lastLocale, handoff: profile.handoff });
        await sendTexts(dc.context, [t('menu:restarted')]);
        return sendMenu(this.services, dc.context, 'menu.main');
      case 'human':
        return startHandoff(this.services, dc.context, 'seller_request');
      default:
        break;
    }

    const scenario = this.activeScenario(dc);
    if (scenario && dc.activeDialog?.id === scenario.id && (await scenario.acceptsAnswer(dc, text))) {
      await this.continueChild(dc, profile);
      return;
    }

    const labelled = this.services.phrases.topic(text);
    if (labelled) {
      this.remember(profile, text, labelled.topic, 1);
      profile.misses = 0;
      return this.runTopic(dc, profile, labelled.topic);
    }
    if (this.isLabel(text, 'common:neither')) return this.notUnderstood(dc, profile);

    const recognition = this.services.recognizer.recognize(text, profile.lastLocale ?? 'zh-CN');
    await dc.context.sendActivity({
      type: ActivityTypes.Trace,
      name: RECOGNITION_TRACE_NAME,
      label: 'Intent',
      valueType: 'https://schemas.cxt-bot.local/recognition',
      value: { text, ...recognition, cues },
    });
    if (cues.upset) return this.soothe(dc, profile, recognition.intent === 'handoff.human');
    const sighting = this.services.subjects.spot(text);
    const query = this.factQuery(dc, profile, recognition, cues, sighting);
    if (query && (await this.answerFacts(dc, profile, query))) return;
    if (recognition.intent === 'none' && cues.aspects.length === 0 && (await this.acknowledge(dc, profile, cues))) return;
    if (recognition.intent === 'none' && (await this.askDidYouMean(dc, profile, recognition))) return;
    if (recognition.intent === 'none' && recognition.onTopic) return this.notInArticle(dc);
    if (recognition.intent === 'none') return this.notUnderstood(dc, profile);
    profile.misses = 0;
    this.remember(profile, text, recognition.intent, recognition.score);
    if (recognition.ambiguous && (await this.askWhichOne(dc, recognition))) return;
    const active = this.activeScenario(dc);
    const intent = recognition.intent;
    if (active && active.scenarioId !== intent && (SCENARIO_IDS as readonly string[]).includes(intent)) {
      return this.offerSwitch(dc, profile, intent as ScenarioId, active.scenarioId);
    }
    return this.runIntent(dc, profile, intent);
  }

  /**
   * What fact the message asks for, if any: the recognised topic, or for a short follow-up ("how long?") the flow in
   * progress or the last topic answered; the aspects asked; and the subject (named, implied by the only platform
   * named in a two-sided topic, or carried over from the last answer).
   */
  private factQuery(
    dc: DialogContext,
    profile: SellerProfile,
    recognition: Recognition,
    cues: Cues,
    sighting: SubjectSighting,
  ): FactQuery | undefined {
    const context = this.activeScenario(dc)?.scenarioId ?? profile.topic;
    const recognised = isFactTopic(recognition.intent) ? recognition.intent : this.inferTopic(recognition, cues, sighting);
    let topic = recognised;
    // A subject the matched topic knows nothing about (forced closure, CXT termination) belongs to the topic that
    // does: the flow in progress if it knows it, else the only topic that does.
    if (topic && sighting.subject && !this.owns(topic, sighting.subject)) {
      if (context && this.owns(context, sighting.subject)) topic = context;
      else topic = this.services.facts.ownerOf(sighting.subject) ?? topic;
    }
    const followUp = !recognised && recognition.intent === 'none';
    const platformSubject = context ? this.platformSubject(context, sighting) : null;
    if (!topic && followUp && context && (cues.aspects.length > 0 || platformSubject || (sighting.subject && this.owns(context, sighting.subject)))) {
      topic = context;
    }
    if (!topic) return undefined;
    let subject: SubjectId | null = sighting.subject && this.owns(topic, sighting.subject) ? sighting.subject : null;
    // "No deposit paid, how do I close?" names the deposit to state a fact, not to ask about it.
    if (subject && cues.stated.some((fact) => fact.fact === STATED_BY_SUBJECT[subject!])) subject = null;
    subject ??= this.platformSubject(topic, sighting);
    if (!subject && !recognised && topic === profile.topic) subject = profile.subject ?? null;
    if (cues.aspects.length === 0 && !subject) return undefined;
    // "Will my store be closed if CXT expires?" asks what the FAQ itself answers: the whole short answer fits best.
    const answer = (ANSWER_IDS as readonly string[]).includes(topic) ? this.services.knowledge.answers[topic as AnswerId] : undefined;
    if (answer && !subject && cues.aspects.every((aspect) => answer.mainAspects.includes(aspect))) return undefined;
    return { topic, aspects: cues.aspects, subject };
  }

  /**
   * A question the matcher could not place (asking an aspect in words it was not trained on): the only topic that
   * knows the named subject, else the matcher's runner-up when it is a fair guess and the question asks an aspect.
   */
  private inferTopic(recognition: Recognition, cues: Cues, sighting: SubjectSighting): FactTopicId | undefined {
    if (recognition.intent !== 'none') return undefined;
    const owner = sighting.subject ? this.services.facts.ownerOf(sighting.subject) : undefined;
    if (owner) return owner;
    const runnerUp = recognition.alternatives[0];
    if (cues.aspects.length > 0 && runnerUp && runnerUp.score >= RUNNER_UP_FOR_ASPECT && isFactTopic(runnerUp.intent)) {
      return runnerUp.intent;
    }
    return undefined;
  }

  /** In deregistration, naming only one platform asks about its side: forced closure or CXT termination. */
  private platformSubject(topic: FactTopicId, sighting: SubjectSighting): SubjectId | null {
    if (topic !== 'scenario.deregister' || sighting.platforms.size !== 1) return null;
    return sighting.platforms.has('cxt') ? 'cxt_termination' : 'forced_closure';
  }

  private owns(topic: FactTopicId, subject: SubjectId): boolean {
    return this.services.facts.hasSubject(topic, subject);
  }

  /** Answers the asked aspect; inside a flow, then asks its pending step again (or offers to resume it). */
  private async answerFacts(dc: DialogContext, profile: SellerProfile, query: FactQuery): Promise<boolean> {
    const finding = this.services.facts.find(query);
    if (!finding) return false;
    const active = this.activeScenario(dc);
    const offer = await sendFactAnswer(this.services, dc.context, query, finding, active !== undefined);
    profile.misses = 0;
    profile.topic = query.topic;
    profile.subject = query.subject ?? undefined;
    if (offer === 'guide') profile.pending = 'guide';
    if (!active) return true;
    // The article could not answer: offer the consultant beside the way back, rather than only the step's buttons.
    const silent = finding.silentOn !== undefined || finding.facts.some((fact) => fact.silent);
    if (!silent && active.scenarioId === query.topic && dc.activeDialog?.id === active.id) await dc.repromptDialog();
    else await this.offerResume(dc, profile, silent);
    return true;
  }

  /** A topic-only question about another flow, asked mid-flow: its key facts, then switch or continue (progress kept). */
  private async offerSwitch(dc: DialogContext, profile: SellerProfile, other: ScenarioId, current: ScenarioId): Promise<void> {
    const t = translate(this.services, dc.context);
    const overview = this.services.facts.overview(other).map((fact) => t(fact.text));
    profile.pending = 'resume';
    profile.topic = other;
    await sendTexts(
      dc.context,
      [withSourceNote(this.services, dc.context, overview.join('\n\n')), t('scenario:switch_prompt', { other: t(`topics:${other}`), current: t(`topics:${current}`) })],
      [t(`topics:${other}`), t('scenario:continue')],
    );
  }

  /** An upset seller: one line of apology, then a human right away (or straight to the queue if they asked for one). */
  private async soothe(dc: DialogContext, profile: SellerProfile, wantsHuman: boolean): Promise<void> {
    const t = translate(this.services, dc.context);
    profile.misses = 0;
    if (wantsHuman) {
      await sendTexts(dc.context, [t('common:apology')]);
      return startHandoff(this.services, dc.context, 'seller_request');
    }
    profile.pending = 'handoff';
    await dc.context.sendActivity(
      messageWithButtons(dc.context, t('common:apology_offer'), [t('common:offer_human_yes'), t('common:offer_human_no')]),
    );
  }

  private async runIntent(dc: DialogContext, profile: SellerProfile, intent: IntentId): Promise<void> {
    const t = translate(this.services, dc.context);
    switch (intent) {
      case 'chitchat.greeting':
        await sendTexts(dc.context, [t('menu:greeting')]);
        return this.afterAside(dc, profile);
      case 'chitchat.thanks':
        await sendTexts(dc.context, [t('menu:thanks')]);
        return this.afterAside(dc, profile);
      case 'chitchat.goodbye':
        await sendTexts(dc.context, [t('menu:goodbye')]);
        return;
      case 'help.menu':
        await sendTexts(dc.context, [t('menu:help')]);
        return this.afterAside(dc, profile);
      case 'none':
        return this.notUnderstood(dc, profile);
      default:
        return this.runTopic(dc, profile, intent);
    }
  }

  private async runTopic(dc: DialogContext, profile: SellerProfile, topic: TopicId): Promise<void> {
    if (topic === 'handoff.human') return startHandoff(this.services, dc.context, 'seller_request');
    if (topic === 'menu.main') {
      await dc.cancelAllDialogs();
      return sendMenu(this.services, dc.context, 'menu.main');
    }
    if (topic === 'menu.faq') return sendMenu(this.services, dc.context, 'menu.faq');
    if ((SCENARIO_IDS as readonly string[]).includes(topic)) {
      if (this.activeScenario(dc)?.scenarioId === topic) {
        await dc.repromptDialog();
        return;
      }
      await dc.cancelAllDialogs();
      profile.topic = topic as ScenarioId;
      profile.subject = undefined;
      const result = await dc.beginDialog(topic as ScenarioId);
      if (result.result) await this.onScenarioExit(dc, profile, result.result as ScenarioExit);
      return;
    }
    if ((ANSWER_IDS as readonly string[]).includes(topic)) {
      const inFlow = this.activeScenario(dc) !== undefined;
      await sendAnswer(this.services, dc.context, topic as AnswerId, !inFlow);
      profile.topic = topic as AnswerId;
      profile.subject = undefined;
      await this.offerResume(dc, profile);
    }
  }

  /** After small talk or an answer: back to the scenario in progress, or the menu. */
  private async afterAside(dc: DialogContext, profile: SellerProfile): Promise<void> {
    if (this.activeScenario(dc)) return this.offerResume(dc, profile);
    return sendMenu(this.services, dc.context, 'menu.main', translate(this.services, dc.context)('menu:main_prompt'));
  }

  /** Back to the flow in progress, or (`withHuman`, after an answer the article could not give) to a consultant. */
  private async offerResume(dc: DialogContext, profile: SellerProfile, withHuman = false): Promise<void> {
    if (dc.activeDialog?.id === RATING_DIALOG_ID || dc.activeDialog?.id === CALLBACK_DIALOG_ID) {
      await dc.repromptDialog();
      return;
    }
    const scenario = this.activeScenario(dc);
    if (!scenario) return;
    const t = translate(this.services, dc.context);
    profile.pending = 'resume';
    const other = withHuman ? 'handoff.human' : 'menu.main';
    await dc.context.sendActivity(
      messageWithButtons(dc.context, t('scenario:resume_prompt', { scenario: t(`topics:${scenario.scenarioId}`) }), [
        t('scenario:continue'),
        ...topicLabels(this.services, dc.context, [other]),
      ]),
    );
  }

  private async askWhichOne(dc: DialogContext, recognition: Recognition): Promise<boolean> {
    const second = recognition.alternatives[0]?.intent;
    const isTopic = (intent: string | undefined): intent is TopicId =>
      intent !== undefined && (ANSWER_IDS as readonly string[]).concat(SCENARIO_IDS).includes(intent);
    if (!isTopic(recognition.intent) || !isTopic(second)) return false;
    const t = translate(this.services, dc.context);
    const [first, other] = topicLabels(this.services, dc.context, [recognition.intent, second]);
    await dc.context.sendActivity(
      messageWithButtons(dc.context, t('common:disambiguate', { first, second: other }), [first!, other!, t('common:neither')]),
    );
    return true;
  }

  /**
   * A statement or a bare yes/no that answers nothing pending ("orders were done long ago" at the deposit step, "yes"
   * after a flow ended): noted, then the pending step again or the menu; not counted as a misunderstanding.
   */
  private async acknowledge(dc: DialogContext, profile: SellerProfile, cues: Cues): Promise<boolean> {
    if (cues.stated.length === 0 && cues.reply === null) return false;
    const t = translate(this.services, dc.context);
    profile.misses = 0;
    await sendTexts(dc.context, [t('scenario:noted')]);
    if (this.activeScenario(dc)) await dc.repromptDialog();
    else await sendMenu(this.services, dc.context, 'menu.main');
    return true;
  }

  /** Rejected, but with a fair runner-up: ask "did you mean X?" (one tap) rather than "I did not understand". */
  private async askDidYouMean(dc: DialogContext, profile: SellerProfile, recognition: Recognition): Promise<boolean> {
    const runnerUp = recognition.alternatives[0];
    if (!runnerUp || runnerUp.score < RUNNER_UP_TO_SUGGEST || !isFactTopic(runnerUp.intent)) return false;
    const t = translate(this.services, dc.context);
    const [label] = topicLabels(this.services, dc.context, [runnerUp.intent]);
    profile.misses = 0;
    await dc.context.sendActivity(
      messageWithButtons(dc.context, t('common:did_you_mean', { topic: label }), [label!, t('common:neither'), t('topics:handoff.human')]),
    );
    return true;
  }

  /** On topic, but the article does not answer it: say so rather than guess, and offer a human. */
  private async notInArticle(dc: DialogContext): Promise<void> {
    const t = translate(this.services, dc.context);
    const buttons = topicLabels(this.services, dc.context, ['handoff.human', 'menu.faq']);
    await dc.context.sendActivity(messageWithButtons(dc.context, t('common:unknown_fact'), buttons));
    if (this.activeScenario(dc)) await dc.repromptDialog();
  }

  private async notUnderstood(dc: DialogContext, profile: SellerProfile): Promise<void> {
    const t = translate(this.services, dc.context);
    profile.misses += 1;
    if (profile.misses >= MISSES_BEFORE_HANDOFF_OFFER) {
      profile.pending = 'handoff';
      await dc.context.sendActivity(
        messageWithButtons(dc.context, t('common:offer_human'), [t('common:offer_human_yes'), t('common:offer_human_no')]),
      );
      return;
    }
    if (this.activeScenario(dc)) {
      await sendTexts(dc.context, [t('common:not_understood_in_scenario')]);
      await dc.repromptDialog();
      return;
    }
    await sendMenu(this.services, dc.context, 'menu.main', t('common:not_understood'));
  }

  private async cancel(dc: DialogContext, profile: SellerProfile): Promise<void> {
    const t = translate(this.services, dc.context);
    if (profile.handoff === 'queued') {
      await dc.context.sendActivity({ type: ActivityTypes.Event, name: HANDOFF_EVENT_NAMES.cancel, value: {} });
      profile.handoff = 'bot';
      await sendTexts(dc.context, [t('escalation:queue_cancelled')]);
      return;
    }
    await dc.cancelAllDialogs();
    await sendTexts(dc.context, [t('menu:cancelled')]);
    await sendMenu(this.services, dc.context, 'menu.main');
  }

  private async continueChild(dc: DialogContext, profile: SellerProfile): Promise<void> {
    const childId = dc.activeDialog?.id;
    const result = await dc.continueDialog();
    if (result.status !== 'complete') return;
    if (childId && this.scenarios.has(childId) && result.result) {
      await this.onScenarioExit(dc, profile, result.result as ScenarioExit);
    } else if (dc.stack.length === 0) {
      await sendMenu(this.services, dc.context, 'menu.main');
    }
  }

  private async onScenarioExit(dc: DialogContext, profile: SellerProfile, exit: ScenarioExit): Promise<void> {
    switch (exit.kind) {
      case 'finished':
        return;
      case 'later':
        return sendMenu(this.services, dc.context, 'menu.main', translate(this.services, dc.context)('scenario:later'));
      case 'handoff':
        return startHandoff(this.services, dc.context, 'seller_request' satisfies HandoffReason);
      case 'topic':
        return this.runTopic(dc, profile, exit.topic);
    }
  }

  private async welcome(dc: DialogContext): Promise<void> {
    await sendMenu(this.services, dc.context, 'menu.main', translate(this.services, dc.context)('menu:welcome'));
  }

  private activeScenario(dc: DialogContext): ScenarioDialog | undefined {
    const bottom = dc.stack[0]?.id;
    return bottom ? this.scenarios.get(bottom) : undefined;
  }

  /** A real question about the topic (not a rating, a name, a phone number or small talk). */
  private isQuestion(text: string): boolean {
    if (/^[\d\s+()-]+$/.test(text)) return false;
    const { intent } = this.services.recognizer.recognize(text, 'zh-CN');
    return (TOPIC_INTENTS as readonly string[]).includes(intent);
  }

  private isLabel(text: string, key: string): boolean {
    return this.services.phrases.isLabel(text, key);
  }

  private remember(profile: SellerProfile, text: string, intent: string, score: number): void {
    if (!isIntentId(intent)) return;
    profile.recognised = [...profile.recognised, { text, intent, score }].slice(-MAX_RECOGNISED_KEPT);
  }
}

function isFactTopic(intent: string): intent is FactTopicId {
  return (FACT_TOPIC_IDS as readonly string[]).includes(intent);
}

/** Keeps what the seller says about their situation, so a flow never asks it again. */
function rememberStated(profile: SellerProfile, cues: Cues): void {
  if (cues.stated.length > 0) {
    profile.stated = { ...profile.stated, ...Object.fromEntries(cues.stated.map((fact) => [fact.fact, fact.value])) };
  }
  if (cues.changeKind) profile.changeKind = cues.changeKind;
}
