import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../../src/app.js';
import { loadLocaleResources } from '../../src/i18n/load-locales.js';
import { FactFinder } from '../../src/knowledge/fact-finder.js';
import { KnowledgeError, loadKnowledge, parseKnowledge } from '../../src/knowledge/load-knowledge.js';

const resources = loadLocaleResources(join(ROOT_DIR, 'locales'));
const knowledge = loadKnowledge(join(ROOT_DIR, 'content', 'knowledge.json'), resources);
const finder = new FactFinder(knowledge);
const textsOf = (query: Parameters<FactFinder['find']>[0]): string[] => (finder.find(query)?.facts ?? []).map((f) => f.text);

describe('FactFinder', () => {
  it('finds the fact for a topic and aspect', () => {
    expect(textsOf({ topic: 'scenario.close_store', aspects: ['duration'], subject: null })).toEqual(['facts:close_store.review_time']);
    expect(textsOf({ topic: 'scenario.change_entity', aspects: ['where'], subject: null })).toEqual(['facts:change_entity.where']);
  });

  it('a named subject picks its own fact, and a silent one rather than another subject\'s figure', () => {
    expect(textsOf({ topic: 'scenario.deregister', aspects: ['duration'], subject: 'cxt_termination' })).toEqual([
      'facts:deregister.cxt_duration',
    ]);
    const deposit = finder.find({ topic: 'scenario.close_store', aspects: ['duration'], subject: 'deposit' });
    expect(deposit?.facts.map((f) => f.text)).toEqual(['facts:close_store.deposit_unknown']);
    expect(deposit?.facts[0]?.silent).toBe(true);
  });

  it('a two-sided topic with no subject answers both sides', () => {
    expect(textsOf({ topic: 'scenario.deregister', aspects: ['documents'], subject: null })).toEqual([
      'facts:deregister.ae_documents',
      'facts:deregister.cxt_path',
    ]);
  });

  it('an aspect the article is silent on is reported as such, with what it says nearby', () => {
    const finding = finder.find({ topic: 'scenario.change_entity', aspects: ['cost'], subject: null });
    expect(finding?.silentOn).toBe('cost');
    expect(finding?.facts.length).toBeGreaterThan(0);
    expect(finding?.facts.every((f) => !f.silent)).toBe(true);
  });

  it('without an aspect or subject there is nothing to look up (the flow or the full answer is given instead)', () => {
    expect(finder.find({ topic: 'scenario.close_store', aspects: [], subject: null })).toBeUndefined();
    expect(textsOf({ topic: 'scenario.close_store', aspects: [], subject: 'deposit' })).toContain('facts:close_store.deposit_steps');
  });

  it('never returns more than three facts', () => {
    const all = finder.find({ topic: 'scenario.close_store', aspects: ['where', 'duration', 'prerequisites', 'effects'], subject: null });
    expect(all?.facts.length).toBe(3);
  });
});

describe('facts in the content file', () => {
  const pristine = (): Record<string, any> => JSON.parse(JSON.stringify(knowledge));
  const problemsOf = (mutate: (c: Record<string, any>) => void): string[] => {
    const content = pristine();
    mutate(content);
    try {
      parseKnowledge(content, resources, 'test.json');
    } catch (error) {
      return [...(error as KnowledgeError).problems];
    }
    return [];
  };

  it('a fact with an unknown source or a topic without any fact is refused', () => {
    expect(problemsOf((c) => void (c.facts['risk.rejection'].sources = ['rumour']))).toContain('facts.risk.rejection: unknown source "rumour"');
    const withoutPersonal = problemsOf((c) => {
      for (const id of Object.keys(c.facts)) if (c.facts[id].topics.includes('faq.personal_store')) delete c.facts[id];
    });
    expect(withoutPersonal).toContain('facts: no fact for topic "faq.personal_store"');
  });

  it('a step filled by a stated fact must offer a yes and a no choice', () => {
    const problems = problemsOf((c) => void (c.scenarios['scenario.close_store'].steps.submit.filledBy = 'deposit_paid'));
    expect(problems.join('\n')).toContain('scenarios.scenario.close_store.steps.submit.filledBy: no choice for "yes"');
  });
});
