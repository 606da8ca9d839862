import type { TurnContext } from 'botbuilder';
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { Scenario, ScenarioChoice, ScenarioId, ScenarioStep, TopicId } from '../../src/knowledge/knowledge-schema.js';
import type { Cues } from '../../src/nlu/cues.js';
import type { SellerProfile } from '../shared/seller-profile.js';
import { foldPhrase } from '../shared/phrase-matcher.js';
import { loadProfile, translate, turnCues, type DialogServices } from '../shared/dialog-services.js';
import { sendTexts, topicLabels, withSourceNote } from '../shared/replies.js';

/** Where the scenario sent the seller when it ended. */
export type ScenarioExit =
  | { readonly kind: 'finished' }
  | { readonly kind: 'later' }
  | { readonly kind: 'handoff' }
  | { readonly kind: 'topic'; readonly topic: TopicId };

interface ScenarioState {
  step: string;
}

/**
 * A guided, branching flow defined by content (`content/knowledge.json`): each step shows its texts
 * and offers choices; the seller's answers and progress flags go into the seller profile so that a
 * consultant sees them and a restarted scenario remembers what is done.
 */
export class ScenarioDialog extends Dialog {
  private readonly scenario: Scenario;

  constructor(
    readonly scenarioId: ScenarioId,
    private readonly services: DialogServices,
  ) {
    super(scenarioId);
    this.scenario = services.knowledge.scenarios[scenarioId];
  }

  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    return this.enterStep(dc, this.scenario.start);
  }

  /** True when the text answers the current step (a choice label, its number, a yes/no word or a stated fact). */
  async acceptsAnswer(dc: DialogContext, text: string): Promise<boolean> {
    return (await this.matchChoice(dc, text)) !== undefined;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const choice = await this.matchChoice(dc, dc.context.activity.text ?? '');
    if (!choice) {
      await this.repromptDialog(dc.context, dc.activeDialog!);
      return Dialog.EndOfTurn;
    }
    const profile = await loadProfile(this.services, dc.context);
    this.record(dc, profile, this.state(dc).step, choice);
    return this.follow(dc, choice.next);
  }

  private record(dc: DialogContext, profile: SellerProfile, stepId: string, choice: ScenarioChoice): void {
    profile.answers[`${this.scenarioId}/${stepId}`] = translate(this.services, dc.context)(choice.label);
    if (choice.sets) {
      const flags = new Set(profile.flags[this.scenarioId] ?? []);
      flags.add(choice.sets);
      profile.flags[this.scenarioId] = [...flags];
    }
  }

  /** Back on top after a callback or rating: say so, then ask the pending question again. */
  override async resumeDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const t = translate(this.services, dc.context);
    await sendTexts(dc.context, [t('scenario:resume', { scenario: t(`topics:${this.scenarioId}`) })]);
    await this.repromptDialog(dc.context, dc.activeDialog!);
    return Dialog.EndOfTurn;
  }

  override async repromptDialog(context: TurnContext, instance: { state: object }): Promise<void> {
    const step = (instance.state as ScenarioState).step;
    await this.showStep(context, this.scenario.steps[step]!);
  }

  private async follow(dc: DialogContext, target: ScenarioChoice['next']): Promise<DialogTurnResult> {
    if (target === '@later') return dc.endDialog({ kind: 'later' } satisfies ScenarioExit);
    if (target === '@handoff') return dc.endDialog({ kind: 'handoff' } satisfies ScenarioExit);
    if (target.startsWith('topic:')) {
      return dc.endDialog({ kind: 'topic', topic: target.slice('topic:'.length) as TopicId } satisfies ScenarioExit);
    }
    return this.enterStep(dc, target);
  }

  private async enterStep(dc: DialogContext, stepId: string): Promise<DialogTurnResult> {
    const step = this.scenario.steps[stepId]!;
    const profile = await loadProfile(this.services, dc.context);
    const flags = profile.flags[this.scenarioId] ?? [];
    if (step.doneWhen && step.doneWhen.flags.every((flag) => flags.includes(flag))) {
      return this.enterStep(dc, step.doneWhen.next);
    }
    this.state(dc).step = stepId;
    profile.scenario = this.scenarioId;
    profile.step = stepId;
    const stated = this.statedChoice(step, profile);
    if (stated) {
      // The seller already said it: confirm in one line and move on instead of asking again.
      if (step.filledBy !== 'change_kind') {
        const value = profile.stated?.[step.filledBy!] ? 'yes' : 'no';
        await sendTexts(dc.context, [translate(this.services, dc.context)(`scenario:stated.${step.filledBy}.${value}`)]);
      }
      this.record(dc, profile, stepId, stated);
      return this.follow(dc, stated.next);
    }
    await this.showStep(dc.context, step);
    if (step.next) return this.enterStep(dc, step.next);
    if (!step.choices) return dc.endDialog({ kind: 'finished' } satisfies ScenarioExit);
    return Dialog.EndOfTurn;
  }

  private async showStep(context: TurnContext, step: ScenarioStep): Promise<void> {
    const t = translate(this.services, context);
    const profile = await loadProfile(this.services, context);
    const flags = profile.flags[this.scenarioId] ?? [];
    const answerLabels = Object.fromEntries(
      Object.entries(profile.answers)
        .filter(([key]) => key.startsWith(`${this.scenarioId}/`))
        .map(([key, label]) => [key.slice(this.scenarioId.length + 1), label]),
    );
    const texts = [
      ...flags.flatMap((flag) => (step.flagNotes[flag] ? [t(step.flagNotes[flag])] : [])),
      ...step.messages.map((key) => t(key, answerLabels)),
    ];
    const ends = !step.choices && !step.next;
    if (ends || step.sources.length > 0) texts.push(withSourceNote(this.services, context, texts.pop()!));
    const buttons = step.choices
      ? this.visibleChoices(step, flags).map((choice) => t(choice.label))
      : ends
        ? topicLabels(this.services, context, step.followUps)
        : [];
    await sendTexts(context, texts, buttons);
  }

  private visibleChoices(step: ScenarioStep, flags: readonly string[]): ScenarioChoice[] {
    return (step.choices ?? []).filter((choice) => !choice.hiddenWhen || !flags.includes(choice.hiddenWhen));
  }

  private async matchChoice(dc: DialogContext, text: string): Promise<ScenarioChoice | undefined> {
    const state = this.state(dc);
    const step = this.scenario.steps[state.step];
    if (!step?.choices) return undefined;
    const profile = await loadProfile(this.services, dc.context);
    const choices = this.visibleChoices(step, profile.flags[this.scenarioId] ?? []);
    const folded = foldPhrase(text);
    const byNumber = /^\d+$/.test(folded) ? choices[Number(folded) - 1] : undefined;
    if (byNumber) return byNumber;
    const byLabel = choices.find((choice) => this.services.phrases.isLabel(text, choice.label));
    if (byLabel) return byLabel;
    const cues = turnCues(this.services, dc.context);
    // "yes, it's done" answers; "yes, but how long does the refund take?" asks: only the former is read as yes.
    const command =
      this.services.phrases.command(text) ?? (cues.aspects.length === 0 ? this.services.phrases.command(firstSegment(text)) : undefined);
    if (command === 'yes' || command === 'no') return choices.find((choice) => choice.kind === command);
    return this.choiceFromCues(step, choices, cues) ?? (cues.aspects.length === 0 ? this.choiceByPlatform(dc, choices, text) : undefined);
  }

  /** "CXT first": the one choice whose label names the only platform the seller named. */
  private choiceByPlatform(dc: DialogContext, choices: readonly ScenarioChoice[], text: string): ScenarioChoice | undefined {
    const named = this.services.subjects.spot(text).platforms;
    if (named.size !== 1) return undefined;
    const t = translate(this.services, dc.context);
    const matching = choices.filter((choice) => {
      const platforms = this.services.subjects.spot(t(choice.label)).platforms;
      return platforms.size === 1 && [...named].every((platform) => platforms.has(platform));
    });
    return matching.length === 1 ? matching[0] : undefined;
  }

  /** A free-text answer: the fact this step asks about stated either way, or a plain yes/no that asks nothing. */
  private choiceFromCues(step: ScenarioStep, choices: readonly ScenarioChoice[], cues: Cues): ScenarioChoice | undefined {
    if (step.filledBy === 'change_kind' && cues.changeKind) return choices.find((choice) => choice.id === cues.changeKind);
    const stated = cues.stated.find((fact) => fact.fact === step.filledBy);
    if (stated) return choices.find((choice) => choice.kind === (stated.value ? 'yes' : 'no'));
    // "Orders were done long ago" at the deposit step says yes about something else, not about this step.
    const aboutOther = step.filledBy !== undefined && cues.stated.length > 0;
    if (cues.reply && cues.aspects.length === 0 && !aboutOther) return choices.find((choice) => choice.kind === cues.reply);
    return undefined;
  }

  /** The choice the seller's earlier statements already make for this step, if any. */
  private statedChoice(step: ScenarioStep, profile: SellerProfile): ScenarioChoice | undefined {
    if (!step.filledBy || !step.choices) return undefined;
    if (step.filledBy === 'change_kind') {
      return profile.changeKind ? step.choices.find((choice) => choice.id === profile.changeKind) : undefined;
    }
    const value = profile.stated?.[step.filledBy];
    return value === undefined ? undefined : step.choices.find((choice) => choice.kind === (value ? 'yes' : 'no'));
  }

  private state(dc: DialogContext): ScenarioState {
    return dc.activeDialog!.state as ScenarioState;
  }
}

/** "yes, it's done" (or its Chinese counterpart): the first word or clause, to read a yes/no that comes with more words. */
function firstSegment(text: string): string {
  return text.trim().split(/[\s,，。.!！;；]+/u)[0] ?? '';
}
