import type { EvalTurn } from './dialog-eval-schema.js';

/** What a turn showed, reduced to what the evaluation checks. */
export interface ObservedTurn {
  /** All message texts of the turn. */
  readonly text: string;
  /** Buttons of the turn's last message (the only ones Web Chat still shows). */
  readonly buttons: readonly string[];
  /** Names of the events the bot emitted. */
  readonly events: readonly string[];
  /** How many of the turn's messages carry buttons. */
  readonly buttonSets: number;
}

/**
 * The form both reply and expected strings are compared in, so a check depends on the fact and not on
 * typography: NFKC (full-width digits and ％), lower case, no markdown bold, every dash as `-`, no whitespace
 * ("72 hours" = "72hours", "5–7" = "5-7").
 */
export function normalizeForMatch(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replaceAll('**', '')
    .replace(/[\u2010-\u2015\u2212\ufe58\ufe63\uff0d~〜～]/gu, '-')
    .replace(/\s+/gu, '');
}

const quote = (text: string): string => JSON.stringify(text);

/**
 * Every way `observed` falls short of `turn`'s expectations; empty when the turn is right.
 * Besides the turn's own fields, one rule holds for every turn (issue 9, rendering): at most one message
 * carries buttons, since Web Chat shows only the last set and a seller tapping an earlier one reaches nothing.
 */
export function checkTurn(turn: EvalTurn, observed: ObservedTurn): string[] {
  const text = normalizeForMatch(observed.text);
  const has = (needle: string): boolean => text.includes(normalizeForMatch(needle));
  const problems: string[] = [];
  for (const needle of turn.expect ?? []) if (!has(needle)) problems.push(`missing ${quote(needle)}`);
  for (const group of turn.expectAny ?? [])
    if (!group.some(has)) problems.push(`missing any of [${group.map(quote).join(', ')}]`);
  for (const needle of turn.expectNot ?? []) if (has(needle)) problems.push(`forbidden ${quote(needle)}`);
  const buttons = new Set(observed.buttons.map(normalizeForMatch));
  for (const label of turn.expectButtons ?? [])
    if (!buttons.has(normalizeForMatch(label))) problems.push(`no button ${quote(label)}`);
  if (turn.expectEvent !== undefined && !observed.events.includes(turn.expectEvent))
    problems.push(`no event ${turn.expectEvent}`);
  if (observed.buttonSets > 1) problems.push(`${observed.buttonSets} button sets in one turn (only the last can be tapped)`);
  return problems;
}
