import {
  ActivityTypes,
  BotAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';
import { randomUUID } from 'node:crypto';

/** Renders one bot message for a terminal: plain text, then its buttons numbered. */
export function renderForTerminal(activity: Partial<Activity>): string {
  const text = (activity.text ?? '').replace(/\*\*(.+?)\*\*/g, '$1');
  const buttons = (activity.suggestedActions?.actions ?? []).map((action, index) => `  [${index + 1}] ${action.title}`);
  return [text, ...buttons].filter((line) => line.length > 0).join('\n');
}

/**
 * A channel for the terminal: each line the seller types becomes a message activity; bot messages
 * are printed as plain text. A number picks one of the last message's buttons.
 */
export class TerminalAdapter extends BotAdapter {
  private readonly conversation = { id: `terminal-${randomUUID()}`, isGroup: false, conversationType: 'personal', name: 'terminal' };
  private readonly user = { id: 'seller', name: 'seller', role: 'user' };
  private readonly botAccount = { id: 'bot', name: 'bot', role: 'bot' };
  private lastButtons: string[] = [];

  constructor(
    private readonly locale: string,
    private readonly print: (text: string) => void,
  ) {
    super();
  }

  /** Runs the conversation-start turn (the bot's welcome). */
  async start(logic: (context: TurnContext) => Promise<void>): Promise<void> {
    await this.runTurn({ type: ActivityTypes.ConversationUpdate, membersAdded: [this.user] }, logic);
  }

  /** Runs one turn for a line the seller typed. */
  async say(line: string, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const picked = /^\d+$/.test(line.trim()) ? this.lastButtons[Number(line.trim()) - 1] : undefined;
    await this.runTurn({ type: ActivityTypes.Message, text: picked ?? line }, logic);
  }

  override async sendActivities(_context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    for (const activity of activities) {
      if (activity.type !== ActivityTypes.Message) continue;
      this.lastButtons = (activity.suggestedActions?.actions ?? []).map((action) => String(action.value ?? action.title));
      this.print(renderForTerminal(activity));
    }
    return activities.map(() => ({ id: randomUUID() }));
  }

  override async updateActivity(): Promise<void> {
    throw new Error('TerminalAdapter.updateActivity(): not supported in a terminal');
  }

  override async deleteActivity(): Promise<void> {
    throw new Error('TerminalAdapter.deleteActivity(): not supported in a terminal');
  }

  override async continueConversation(
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    await this.runTurn(TurnContext.applyConversationReference({ type: ActivityTypes.Event }, reference, true), logic);
  }

  private async runTurn(partial: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const activity: Partial<Activity> = {
      id: randomUUID(),
      channelId: 'terminal',
      serviceUrl: 'terminal:',
      timestamp: new Date(),
      locale: this.locale,
      conversation: this.conversation,
      from: this.user,
      recipient: this.botAccount,
      ...partial,
    };
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }
}
