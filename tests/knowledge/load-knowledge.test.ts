import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../../src/app.js';
import { loadLocaleResources } from '../../src/i18n/load-locales.js';
import { KnowledgeError, loadKnowledge, parseKnowledge } from '../../src/knowledge/load-knowledge.js';

const resources = loadLocaleResources(join(ROOT_DIR, 'locales'));
const file = join(ROOT_DIR, 'content', 'knowledge.json');
const pristine = (): Record<string, any> => JSON.parse(readFileSync(file, 'utf8'));

function problemsOf(mutate: (content: Record<string, any>) => void): string[] {
  const content = pristine();
  mutate(content);
  try {
    parseKnowledge(content, resources, 'test.json');
  } catch (error) {
    expect(error).toBeInstanceOf(KnowledgeError);
    return [...(error as KnowledgeError).problems];
  }
  throw new Error('expected a KnowledgeError');
}

describe('knowledge content', () => {
  it('the shipped content is valid', () => {
    const knowledge = loadKnowledge(file, resources);
    expect(Object.keys(knowledge.scenarios)).toEqual(['scenario.close_store', 'scenario.change_entity', 'scenario.deregister']);
  });

  it('a choice leading to a missing step is reported with its path', () => {
    const problems = problemsOf((c) => {
      c.scenarios['scenario.close_store'].steps.inventory.choices[0].next = 'nowhere';
    });
    expect(problems).toContain('scenarios.scenario.close_store.steps.inventory.choices.yes.next: unknown step "nowhere"');
  });

  it('a text key missing from a locale is reported per locale', () => {
    const problems = problemsOf((c) => {
      c.answers['faq.cxt_expiry'].messages = ['answers:faq.does_not_exist'];
    });
    expect(problems).toEqual([
      'text "answers:faq.does_not_exist" is missing in locales/zh-CN',
      'text "answers:faq.does_not_exist" is missing in locales/en',
    ]);
  });

  it('an unknown source and a missing answer are reported', () => {
    expect(problemsOf((c) => void (c.answers['risk.compliance'].sources = ['gossip']))).toContain(
      'answers.risk.compliance: unknown source "gossip"',
    );
    expect(problemsOf((c) => void delete c.answers['faq.personal_store']).join('\n')).toContain('faq.personal_store');
  });

  it('an unreadable file names the file', () => {
    expect(() => loadKnowledge(join(ROOT_DIR, 'package.json.missing'), resources)).toThrow(/package\.json\.missing/);
  });

  it('a next/doneWhen loop with no seller choice in it is refused (the engine would recurse forever)', () => {
    const problems = problemsOf((c) => {
      const steps = c.scenarios['scenario.close_store'].steps;
      steps.loop_a = { messages: ['answers:faq.cxt_expiry'], next: 'loop_b' };
      steps.loop_b = { messages: ['answers:faq.cxt_expiry'], doneWhen: { flags: ['x'], next: 'loop_a' }, next: 'loop_a' };
    });
    expect(problems.filter((p) => p.includes('loop'))).toEqual([
      'scenarios.scenario.close_store: steps loop_a -> loop_b -> loop_a loop without a seller choice (next/doneWhen)',
    ]);
  });

  it('a step that leads to itself is refused; a loop through a choice is allowed', () => {
    const selfLoop = problemsOf((c) => {
      const steps = c.scenarios['scenario.close_store'].steps;
      steps.again = { messages: ['answers:faq.cxt_expiry'], next: 'again' };
    });
    expect(selfLoop.filter((p) => p.includes('loop'))).toEqual([
      'scenarios.scenario.close_store: steps again -> again loop without a seller choice (next/doneWhen)',
    ]);
    const content = pristine();
    const inventory = content.scenarios['scenario.close_store'].steps.inventory;
    inventory.choices[0].next = 'inventory';
    expect(() => parseKnowledge(content, resources, 'test.json')).not.toThrow();
  });
});
