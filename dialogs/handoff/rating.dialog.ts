import { ActivityTypes } from 'botbuilder';
import { ComponentDialog, TextPrompt, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { foldPhrase } from '../shared/phrase-matcher.js';
import { translate, type DialogServices } from '../shared/dialog-services.js';
import { messageWithButtons } from '../shared/replies.js';
import { HANDOFF_EVENT_NAMES } from '../../src/handoff/bot-events.schema.js';

export const RATING_DIALOG_ID = 'handoff.rating';
const PROMPT = 'rating.score';
const SCORES = ['1', '2', '3', '4', '5'];

/** After a consultant finishes: asks for a 1–5 rating and reports it to the handoff module. */
export class RatingDialog extends ComponentDialog {
  constructor(private readonly services: DialogServices) {
    super(RATING_DIALOG_ID);
    this.addDialog(
      new TextPrompt(PROMPT, async (prompt) => {
        const text = prompt.recognized.value ?? '';
        return this.score(text) !== undefined || this.isSkip(text);
      }),
    );
    this.addDialog(new WaterfallDialog('rating.steps', [(step) => this.ask(step), (step) => this.save(step)]));
    this.initialDialogId = 'rating.steps';
  }

  private async ask(step: WaterfallStepContext) {
    const t = translate(this.services, step.context);
    const buttons = [...SCORES, t('escalation:rating_skip')];
    return step.prompt(PROMPT, {
      prompt: messageWithButtons(step.context, t('escalation:ask_rating'), buttons),
      retryPrompt: messageWithButtons(step.context, t('escalation:invalid_rating'), buttons),
    });
  }

  private async save(step: WaterfallStepContext) {
    const score = this.score(String(step.result));
    if (score !== undefined) {
      const t = translate(this.services, step.context);
      await step.context.sendActivity({ type: ActivityTypes.Event, name: HANDOFF_EVENT_NAMES.rating, value: { score } });
      await step.context.sendActivity(messageWithButtons(step.context, t('escalation:rating_thanks', { score })));
    }
    return step.endDialog(score);
  }

  private score(text: string): number | undefined {
    const match = /^([1-5])\D{0,8}$/u.exec(foldPhrase(text));
    return match ? Number(match[1]) : undefined;
  }

  private isSkip(text: string): boolean {
    return this.services.phrases.isLabel(text, 'escalation:rating_skip') || this.services.phrases.command(text) === 'no';
  }
}
