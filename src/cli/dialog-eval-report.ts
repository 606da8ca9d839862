import type { ConversationResult } from './dialog-eval-run.js';

const EXCERPT_CHARS = 140;

/** A reply on one line, shortened: enough to see what the bot said instead. */
export function excerpt(text: string, chars = EXCERPT_CHARS): string {
  const flat = text.replace(/\*\*/g, '').replace(/\s+/gu, ' ').trim();
  return flat.length > chars ? `${flat.slice(0, chars)}…` : flat;
}

/** The line printed for a conversation that is not right: its first failing turn, and which others failed. */
export function formatFailure(result: ConversationResult): string {
  const failing = result.turns.filter((turn) => turn.problems.length > 0);
  const first = failing[0];
  if (!first) return '';
  const others = failing.slice(1).map((turn) => turn.turn);
  const more = others.length > 0 ? ` (also failing: turn ${others.join(', ')})` : '';
  return `FAIL ${result.conversation.id} turn ${first.turn}/${result.turns.length} ${JSON.stringify(first.say)}: ${first.problems.join('; ')}${more} | reply: ${JSON.stringify(excerpt(first.reply))}`;
}

interface Tally {
  right: number;
  total: number;
}

function tallyBy(results: readonly ConversationResult[], keys: (result: ConversationResult) => readonly string[]): Map<string, Tally> {
  const tallies = new Map<string, Tally>();
  for (const result of results) {
    for (const key of keys(result)) {
      const tally = tallies.get(key) ?? { right: 0, total: 0 };
      tally.total += 1;
      if (result.right) tally.right += 1;
      tallies.set(key, tally);
    }
  }
  return new Map([...tallies].sort(([a], [b]) => a.localeCompare(b)));
}

const ratio = (tally: Tally): string => `${tally.right}/${tally.total} right`;

/** The summary: `N/M right` overall (and turns), then per locale and per tag. */
export function formatSummary(title: string, results: readonly ConversationResult[]): string {
  const overall = tallyBy(results, () => ['all']).get('all') ?? { right: 0, total: 0 };
  const turns = results.flatMap((result) => result.turns);
  const turnsRight = turns.filter((turn) => turn.problems.length === 0).length;
  const percent = overall.total > 0 ? ((100 * overall.right) / overall.total).toFixed(1) : '0.0';
  const lines = [`${title}: ${ratio(overall)} (${percent}%; turns ${turnsRight}/${turns.length} right)`, 'by locale:'];
  for (const [locale, tally] of tallyBy(results, (result) => [result.conversation.locale])) lines.push(`  ${locale.padEnd(28)} ${ratio(tally)}`);
  lines.push('by tag:');
  for (const [tag, tally] of tallyBy(results, (result) => result.conversation.tags)) lines.push(`  ${tag.padEnd(28)} ${ratio(tally)}`);
  return lines.join('\n');
}
