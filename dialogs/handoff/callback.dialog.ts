import { ActivityTypes } from 'botbuilder';
import {
  ComponentDialog,
  TextPrompt,
  WaterfallDialog,
  type PromptValidatorContext,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { translate, type DialogServices } from '../shared/dialog-services.js';
import { messageWithButtons } from '../shared/replies.js';
import { callbackRequestSchema, HANDOFF_EVENT_NAMES } from '../../src/handoff/bot-events.schema.js';

export const CALLBACK_DIALOG_ID = 'handoff.callback';


const OFFER = 'callback.offer';
const NAME = 'callback.name';
const PHONE = 'callback.phone';

/** Offers a call back when no consultant can take the chat, and collects a name and a phone number. */
export class CallbackDialog extends ComponentDialog {
  constructor(private readonly services: DialogServices) {
    super(CALLBACK_DIALOG_ID);
    this.addDialog(new TextPrompt(OFFER, (prompt) => this.isYesOrNo(prompt)));
    this.addDialog(new TextPrompt(NAME, async (prompt) => callbackRequestSchema.shape.name.safeParse(prompt.recognized.value ?? '').success));
    this.addDialog(new TextPrompt(PHONE, async (prompt) => callbackRequestSchema.shape.phone.safeParse(prompt.recognized.value ?? '').success));
    this.addDialog(
      new WaterfallDialog('callback.steps', [
        (step) => this.askOffer(step),
        (step) => this.askName(step),
        (step) => this.askPhone(step),
        (step) => this.save(step),
      ]),
    );
    this.initialDialogId = 'callback.steps';
  }

  private async askOffer(step: WaterfallStepContext) {
    const t = translate(this.services, step.context);
    const buttons = [t('escalation:callback_choice_yes'), t('escalation:callback_choice_no')];
    return step.prompt(OFFER, {
      prompt: messageWithButtons(step.context, t('escalation:offer_callback'), buttons),
      retryPrompt: messageWithButtons(step.context, t('escalation:offer_callback'), buttons),
    });
  }

  private async askName(step: WaterfallStepContext) {
    const t = translate(this.services, step.context);
    if (!this.meansYes(String(step.result))) {
      await step.context.sendActivity(messageWithButtons(step.context, t('escalation:callback_skipped')));
      return step.endDialog();
    }
    return step.prompt(NAME, { prompt: t('escalation:ask_name'), retryPrompt: t('escalation:invalid_name') });
  }

  private async askPhone(step: WaterfallStepContext) {
    const t = translate(this.services, step.context);
    (step.values as Record<string, unknown>)['name'] = String(step.result).trim();
    return step.prompt(PHONE, { prompt: t('escalation:ask_phone'), retryPrompt: t('escalation:invalid_phone') });
  }

  private async save(step: WaterfallStepContext) {
    const t = translate(this.services, step.context);
    const request = callbackRequestSchema.parse({ name: (step.values as Record<string, unknown>)['name'], phone: step.result });
    await step.context.sendActivity({ type: ActivityTypes.Event, name: HANDOFF_EVENT_NAMES.callback, value: request });
    await step.context.sendActivity(messageWithButtons(step.context, t('escalation:callback_saved', request)));
    return step.endDialog(request);
  }

  private async isYesOrNo(prompt: PromptValidatorContext<string>): Promise<boolean> {
    const text = prompt.recognized.value ?? '';
    return this.meansYes(text) || this.meansNo(text);
  }

  private meansYes(text: string): boolean {
    return this.services.phrases.command(text) === 'yes' || this.services.phrases.isLabel(text, 'escalation:callback_choice_yes');
  }

  private meansNo(text: string): boolean {
    return this.services.phrases.command(text) === 'no' || this.services.phrases.isLabel(text, 'escalation:callback_choice_no');
  }
}
