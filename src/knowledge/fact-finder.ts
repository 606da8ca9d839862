import type { AspectId } from '../nlu/cues.js';
import type { Fact, FactTopicId, Knowledge, SubjectId } from './knowledge-schema.js';

/** What a seller asked: the topic, the aspects (main first) and, when named, a narrower subject. */
export interface FactQuery {
  readonly topic: FactTopicId;
  readonly aspects: readonly AspectId[];
  readonly subject: SubjectId | null;
}

/**
 * The facts that answer a query, best first. `silentOn` is set when the article says nothing about the asked
 * aspect of this topic: `facts` then holds what it does say nearby, never a guess.
 */
export interface FactFinding {
  readonly facts: readonly Fact[];
  readonly silentOn?: AspectId;
}

/** At most this many facts in one reply: an answer of one or two sentences, not the whole article. */
const MAX_FACTS = 3;
const PER_ASPECT = 2;

/** Looks up the article's facts by topic, aspect and subject (content/knowledge.json `facts`, in preference order). */
export class FactFinder {
  private readonly facts: readonly Fact[];

  constructor(knowledge: Knowledge) {
    this.facts = Object.values(knowledge.facts);
  }

  /** The facts for the query; with no aspect, the facts about the subject (if any). Undefined: nothing to say. */
  find(query: FactQuery): FactFinding | undefined {
    // A topic's own facts (listed first under it) before facts it shares with other topics.
    const ofTopic = [
      ...this.facts.filter((fact) => fact.topics[0] === query.topic),
      ...this.facts.filter((fact) => fact.topics.indexOf(query.topic) > 0),
    ];
    if (query.aspects.length === 0) {
      if (!query.subject) return undefined;
      const aboutSubject = ofTopic.filter((fact) => fact.subject === query.subject);
      return aboutSubject.length > 0 ? { facts: aboutSubject.slice(0, PER_ASPECT) } : undefined;
    }
    const found: Fact[] = [];
    for (const aspect of query.aspects) {
      for (const fact of this.bestFor(ofTopic, aspect, query.subject)) {
        if (!found.includes(fact)) found.push(fact);
      }
    }
    if (found.length > 0) return { facts: found.slice(0, MAX_FACTS) };
    const nearby = query.subject ? ofTopic.filter((fact) => fact.subject === query.subject) : [];
    const general = ofTopic.filter((fact) => !fact.subject && !fact.silent);
    return { facts: (nearby.length > 0 ? nearby : general).slice(0, PER_ASPECT), silentOn: query.aspects[0]! };
  }

  /** The topic's overview: its first general facts (for a topic-only question asked in the middle of another flow). */
  overview(topic: FactTopicId): readonly Fact[] {
    return this.facts.filter((fact) => fact.topics.includes(topic) && !fact.subject && !fact.silent).slice(0, PER_ASPECT);
  }

  /** True when the topic has facts about this subject. */
  hasSubject(topic: FactTopicId, subject: SubjectId): boolean {
    return this.facts.some((fact) => fact.topics.includes(topic) && fact.subject === subject);
  }

  /** The only topic with facts about this subject, if exactly one has (e.g. CXT termination: deregistration). */
  ownerOf(subject: SubjectId): FactTopicId | undefined {
    const owners = new Set(this.facts.filter((fact) => fact.subject === subject).flatMap((fact) => fact.topics.slice(0, 1)));
    return owners.size === 1 ? [...owners][0] : undefined;
  }

  private bestFor(ofTopic: readonly Fact[], aspect: AspectId, subject: SubjectId | null): readonly Fact[] {
    const candidates = ofTopic.filter((fact) => fact.aspects.includes(aspect));
    if (subject) {
      // A named subject the topic has no fact for on this aspect: the article is silent on it (never another subject's figure).
      const hasSubject = ofTopic.some((fact) => fact.subject === subject);
      if (hasSubject) return candidates.filter((fact) => fact.subject === subject).slice(0, PER_ASPECT);
    }
    const general = candidates.filter((fact) => !fact.subject);
    return (general.length > 0 ? general : candidates).slice(0, PER_ASPECT);
  }
}
