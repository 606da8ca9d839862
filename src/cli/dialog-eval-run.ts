import type { ConversationRunner } from './conversation-runner.js';
import { checkTurn } from './dialog-eval-check.js';
import type { EvalConversation } from './dialog-eval-schema.js';

/** One checked turn. */
export interface TurnResult {
  /** 1-based. */
  readonly turn: number;
  readonly say: string;
  /** Empty when the turn is right. */
  readonly problems: string[];
  readonly reply: string;
}

/** One checked conversation: right when every turn is. */
export interface ConversationResult {
  readonly conversation: EvalConversation;
  readonly turns: TurnResult[];
  readonly right: boolean;
}

/**
 * Plays `conversation` through a fresh runner (a new seller: the widget opens, then each turn is said)
 * and checks every turn, also after a failing one, so later turns are still measured.
 */
export async function runEvalConversation(
  conversation: EvalConversation,
  newRunner: (locale: string) => ConversationRunner,
): Promise<ConversationResult> {
  const runner = newRunner(conversation.locale);
  await runner.open();
  const turns: TurnResult[] = [];
  for (const [index, turn] of conversation.turns.entries()) {
    const output = await runner.say(turn.say);
    const observed = {
      text: output.text,
      buttons: output.buttons,
      events: output.events.map((event) => event.name ?? ''),
      buttonSets: output.messages.filter((message) => message.buttons.length > 0).length,
    };
    turns.push({ turn: index + 1, say: turn.say, problems: checkTurn(turn, observed), reply: output.text });
  }
  return { conversation, turns, right: turns.every((turn) => turn.problems.length === 0) };
}
