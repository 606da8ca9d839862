import type { SeenActivity } from './cluster-seller.js';

/** A seller question and a marker only its answer contains (the article's facts; see first-reply-facts.test.ts). */
export interface Question {
  readonly ask: string;
  readonly marker: string;
}

/** Questions whose answers are told apart by their markers: each answer holds its own marker and none of the others. */
export const QUESTIONS: readonly Question[] = [
  { ask: '关店审核大概几天能好', marker: '98.7%' },
  { ask: '诚信通停掉要几个工作日', marker: '第8.3条' },
  { ask: '同一个营业执照开几家店会触发二级审核', marker: '3家店铺' },
  { ask: '工商变更后速卖通资质更新要几天', marker: '5–7个工作日' },
  { ask: '关了速卖通店以后诚信通续费率有多少', marker: '89.2%' },
];

const isSeller = (a: SeenActivity) => a.type === 'message' && a.from?.role === 'user';
const isBot = (a: SeenActivity) => a.type === 'message' && a.from?.role === 'bot';
const short = (text: string | undefined) => JSON.stringify((text ?? '').slice(0, 40));

/**
 * What is wrong with one conversation's history, in words (empty when nothing): every acknowledged message exactly
 * once, in the order acknowledged; each seller message answered, with the answer to its own question, and the
 * answers in the order of the messages (turns ran one at a time, in order).
 */
export function historyProblems(history: readonly SeenActivity[], acked: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  const positions = new Map<string, number[]>();
  history.forEach((a, i) => a.id && positions.set(a.id, [...(positions.get(a.id) ?? []), i]));
  for (const [id, at] of positions) if (at.length > 1) problems.push(`${id} is in the history ${at.length} times`);

  for (const [id, text] of acked) {
    const at = positions.get(id);
    if (!at) problems.push(`acknowledged message ${id} ${short(text)} is missing`);
    else if (history[at[0]!]!.text !== text) problems.push(`acknowledged ${id} reads ${short(history[at[0]!]!.text)}, sent ${short(text)}`);
  }
  const ackedInHistory = history.filter((a) => a.id && acked.has(a.id)).map((a) => a.id);
  const ackOrder = [...acked.keys()].filter((id) => positions.has(id));
  if (ackedInHistory.join() !== ackOrder.join()) {
    problems.push(`acknowledged messages out of order: history ${ackedInHistory.join(' ')}, acknowledged ${ackOrder.join(' ')}`);
  }

  const sellerAt = new Map(history.flatMap((a, i) => (isSeller(a) && a.id ? [[a.id, i] as const] : [])));
  const replies = new Map<string, SeenActivity[]>();
  let lastAnswered = -1;
  history.forEach((a, i) => {
    if (!isBot(a) || !a.replyToId) return;
    const asked = sellerAt.get(a.replyToId);
    if (asked === undefined) {
      const marker = QUESTIONS.find((q) => a.text?.includes(q.marker));
      if (marker) problems.push(`reply ${a.id} answers ${a.replyToId}, which is not a seller message in the history`);
      return;
    }
    replies.set(a.replyToId, [...(replies.get(a.replyToId) ?? []), a]);
    if (asked > i) problems.push(`reply ${a.id} comes before the message it answers (${a.replyToId})`);
    if (asked < lastAnswered) problems.push(`reply ${a.id} to ${a.replyToId} comes after a reply to a later message (turns out of order)`);
    lastAnswered = Math.max(lastAnswered, asked);
  });

  for (const [id, at] of sellerAt) {
    const text = history[at]!.text ?? '';
    const question = QUESTIONS.find((q) => text === q.ask);
    const answers = replies.get(id) ?? [];
    if (answers.length === 0) {
      problems.push(`seller message ${id} ${short(text)} has no reply`);
      continue;
    }
    if (!question) continue;
    if (!answers.some((r) => r.text?.includes(question.marker))) {
      problems.push(`the replies to ${id} ${short(text)} lack "${question.marker}": ${answers.map((r) => short(r.text)).join(', ')}`);
    }
    for (const other of QUESTIONS) {
      if (other !== question && answers.some((r) => r.text?.includes(other.marker))) {
        problems.push(`a reply to ${id} ${short(text)} answers "${other.ask}" instead`);
      }
    }
  }
  return problems;
}

/**
 * What the stream got wrong compared to the history: it must have delivered every activity exactly once, in
 * watermark order, across reconnects (nothing it saw missing from the history, nothing skipped on resume).
 */
export function streamProblems(streamed: readonly SeenActivity[], history: readonly SeenActivity[]): string[] {
  const seen = streamed.map((a) => a.id ?? '?');
  const stored = history.map((a) => a.id ?? '?');
  const problems: string[] = [];
  const storedSet = new Set(stored);
  for (const id of new Set(seen)) if (!storedSet.has(id)) problems.push(`the stream showed ${id}, which is not in the history`);
  const counts = new Map<string, number>();
  for (const id of seen) counts.set(id, (counts.get(id) ?? 0) + 1);
  for (const [id, count] of counts) if (count > 1) problems.push(`the stream showed ${id} ${count} times`);
  const seenSet = new Set(seen);
  for (const id of stored) if (!seenSet.has(id)) problems.push(`the stream never showed ${id}`);
  if (problems.length === 0 && seen.join() !== stored.join()) {
    const at = seen.findIndex((id, i) => id !== stored[i]);
    problems.push(`the stream's order differs from the history at #${at}: ${seen[at]} where the history has ${stored[at]}`);
  }
  return problems;
}

/** One line per activity (id, who, what it answers, text start), for failure messages. */
export function describeHistory(history: readonly SeenActivity[]): string {
  return history
    .map((a) => `  ${a.id} ${a.type}/${a.from?.role ?? '?'}${a.replyToId ? ` re ${a.replyToId}` : ''} ${short(a.text)}`)
    .join('\n');
}
