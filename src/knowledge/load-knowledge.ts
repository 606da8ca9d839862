import { readFileSync } from 'node:fs';
import { flattenKeys, type LocaleResources } from '../i18n/load-locales.js';
import { SUPPORTED_LOCALES } from '../i18n/supported-locales.js';
import { ASPECT_IDS, type ChangeKind } from '../nlu/cues.js';
import { FACT_TOPIC_IDS, knowledgeSchema, TOPIC_IDS, type Knowledge } from './knowledge-schema.js';

/** Choice ids a `change_kind` step must offer (one per ChangeKind). */
const CHANGE_KINDS = ['legal_rep', 'name', 'address', 'several'] as const satisfies readonly ChangeKind[];

/** Texts the fact answers are framed with (see dialogs/answers/fact-answer.ts). */
const FACT_REPLY_KEYS = ['facts:silent', 'facts:nearby', 'facts:ask_consultant', 'facts:guide_offer', 'facts:guide_yes'];

/** Broken content: start-up stops and the message lists every problem. */
export class KnowledgeError extends Error {
  readonly code = 'KNOWLEDGE_INVALID';
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid knowledge file ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'KnowledgeError';
  }
}

/** Parses and cross-checks the content: schema, step and source references, and i18n keys in every locale. */
export function parseKnowledge(raw: unknown, resources: LocaleResources, file = '<inline>'): Knowledge {
  const parsed = knowledgeSchema.safeParse(raw);
  if (!parsed.success) {
    throw new KnowledgeError(
      file,
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  const knowledge = parsed.data;
  const problems = [...brokenReferences(knowledge), ...automaticCycles(knowledge), ...missingTexts(knowledge, resources)];
  if (problems.length > 0) throw new KnowledgeError(file, problems);
  return Object.freeze(knowledge);
}

/** Reads `content/knowledge.json` (or another file) and validates it against the loaded locales. */
export function loadKnowledge(file: string, resources: LocaleResources): Knowledge {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new KnowledgeError(file, [`cannot read JSON: ${(error as Error).message}`]);
  }
  return parseKnowledge(raw, resources, file);
}

function brokenReferences(knowledge: Knowledge): string[] {
  const problems: string[] = [];
  const sourceIds = new Set(Object.keys(knowledge.sources));
  for (const [answerId, answer] of Object.entries(knowledge.answers)) {
    for (const source of answer.sources) {
      if (!sourceIds.has(source)) problems.push(`answers.${answerId}: unknown source "${source}"`);
    }
  }
  for (const [factId, fact] of Object.entries(knowledge.facts)) {
    for (const source of fact.sources) {
      if (!sourceIds.has(source)) problems.push(`facts.${factId}: unknown source "${source}"`);
    }
  }
  const topicsWithFacts = new Set(Object.values(knowledge.facts).flatMap((fact) => fact.topics));
  for (const topic of FACT_TOPIC_IDS) {
    if (!topicsWithFacts.has(topic)) problems.push(`facts: no fact for topic "${topic}"`);
  }
  for (const [scenarioId, scenario] of Object.entries(knowledge.scenarios)) {
    const stepIds = new Set(Object.keys(scenario.steps));
    const where = (step: string): string => `scenarios.${scenarioId}.steps.${step}`;
    if (!stepIds.has(scenario.start)) problems.push(`scenarios.${scenarioId}.start: unknown step "${scenario.start}"`);
    for (const [stepId, step] of Object.entries(scenario.steps)) {
      for (const source of step.sources) {
        if (!sourceIds.has(source)) problems.push(`${where(stepId)}: unknown source "${source}"`);
      }
      if (step.next && !stepIds.has(step.next)) problems.push(`${where(stepId)}.next: unknown step "${step.next}"`);
      if (step.doneWhen && !stepIds.has(step.doneWhen.next)) {
        problems.push(`${where(stepId)}.doneWhen.next: unknown step "${step.doneWhen.next}"`);
      }
      const wanted = step.filledBy === 'change_kind' ? CHANGE_KINDS : step.filledBy ? (['yes', 'no'] as const) : [];
      for (const answer of wanted) {
        const found = (step.choices ?? []).some((choice) => choice.kind === answer || choice.id === answer);
        if (!found) problems.push(`${where(stepId)}.filledBy: no choice for "${answer}"`);
      }
      for (const choice of step.choices ?? []) {
        const target = choice.next;
        if (!target.startsWith('@') && !target.startsWith('topic:') && !stepIds.has(target)) {
          problems.push(`${where(stepId)}.choices.${choice.id}.next: unknown step "${target}"`);
        }
      }
    }
  }
  return problems;
}

/**
 * Cycles the engine would follow without asking the seller anything: a step's `next` and its `doneWhen.next` are
 * taken automatically (a `doneWhen` skip passes over the step's choices), so a loop made only of them would recurse
 * forever. A loop through a seller's choice is fine (the seller may go round as often as they like).
 */
function automaticCycles(knowledge: Knowledge): string[] {
  const problems: string[] = [];
  for (const [scenarioId, scenario] of Object.entries(knowledge.scenarios)) {
    const automatic = (stepId: string): string[] => {
      const step = scenario.steps[stepId];
      return step ? [...new Set([step.next, step.doneWhen?.next])].filter((next): next is string => next !== undefined) : [];
    };
    // Depth-first search, iterative; 'open' marks steps on the current path.
    const state = new Map<string, 'open' | 'done'>();
    for (const root of Object.keys(scenario.steps)) {
      if (state.has(root)) continue;
      const path: Array<{ id: string; pending: string[] }> = [{ id: root, pending: automatic(root) }];
      state.set(root, 'open');
      while (path.length > 0) {
        const top = path[path.length - 1]!;
        const next = top.pending.shift();
        if (next === undefined) {
          state.set(top.id, 'done');
          path.pop();
        } else if (state.get(next) === 'open') {
          const loop = [...path.slice(path.findIndex((entry) => entry.id === next)).map((entry) => entry.id), next];
          problems.push(`scenarios.${scenarioId}: steps ${loop.join(' -> ')} loop without a seller choice (next/doneWhen)`);
        } else if (!state.has(next) && scenario.steps[next]) {
          state.set(next, 'open');
          path.push({ id: next, pending: automatic(next) });
        }
      }
    }
  }
  return problems;
}

function missingTexts(knowledge: Knowledge, resources: LocaleResources): string[] {
  const keys = new Set<string>(TOPIC_IDS.map((topic) => `topics:${topic}`));
  ['sources:note'].forEach((key) => keys.add(key));
  Object.values(knowledge.sources).forEach((key) => keys.add(key));
  Object.values(knowledge.menus).forEach((menu) => keys.add(menu.prompt));
  Object.values(knowledge.answers).forEach((answer) => answer.messages.forEach((key) => keys.add(key)));
  for (const scenario of Object.values(knowledge.scenarios)) {
    for (const step of Object.values(scenario.steps)) {
      step.messages.forEach((key) => keys.add(key));
      Object.values(step.flagNotes).forEach((key) => keys.add(key));
      step.choices?.forEach((choice) => keys.add(choice.label));
      if (step.filledBy && step.filledBy !== 'change_kind') {
        keys.add(`scenario:stated.${step.filledBy}.yes`);
        keys.add(`scenario:stated.${step.filledBy}.no`);
      }
    }
  }
  Object.values(knowledge.answers).forEach((answer) => answer.prompt && keys.add(answer.prompt));
  Object.values(knowledge.facts).forEach((fact) => keys.add(fact.text));
  ASPECT_IDS.forEach((aspect) => keys.add(`facts:aspect.${aspect}`));
  FACT_REPLY_KEYS.forEach((key) => keys.add(key));
  const problems: string[] = [];
  for (const lng of SUPPORTED_LOCALES) {
    const present = new Set(flattenKeys(resources[lng]));
    for (const key of [...keys].sort()) {
      if (!present.has(key)) problems.push(`text "${key}" is missing in locales/${lng}`);
    }
  }
  return problems;
}
