import type { LocaleResources } from '../../src/i18n/load-locales.js';
import { SUPPORTED_LOCALES, type SupportedLocale } from '../../src/i18n/supported-locales.js';
import { TOPIC_IDS, type TopicId } from '../../src/knowledge/knowledge-schema.js';

export const COMMANDS = ['menu', 'cancel', 'restart', 'human', 'english', 'chinese', 'yes', 'no', 'continue'] as const;
export type Command = (typeof COMMANDS)[number];

/** Folds what a seller types or taps to a comparable form: width, case, spaces and trailing punctuation. */
export function foldPhrase(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\u3000]+/g, ' ')
    .replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, '')
    .trim();
}

/**
 * Exact-phrase lookups built from the locale files: command words (in every locale, so "English"
 * works in a Chinese conversation and its Chinese counterpart in English) and button labels back to the topic they stand for.
 */
export class PhraseMatcher {
  private readonly commands = new Map<string, Command>();
  private readonly topics = new Map<string, TopicId>();
  private readonly topicLocales = new Map<string, SupportedLocale>();
  /** Folded texts of a label key in every locale, filled on first use (labels are fixed after start-up). */
  private readonly labels = new Map<string, ReadonlySet<string>>();

  constructor(private readonly resources: LocaleResources) {
    for (const lng of SUPPORTED_LOCALES) {
      const commandLists = resources[lng]['commands'] as Record<string, unknown> | undefined;
      for (const command of COMMANDS) {
        const phrases = commandLists?.[command];
        if (!Array.isArray(phrases)) throw new Error(`PhraseMatcher(): locales/${lng}/commands.json lacks "${command}"`);
        for (const phrase of phrases) this.commands.set(foldPhrase(String(phrase)), command);
      }
      for (const topic of TOPIC_IDS) {
        const label = lookup(resources[lng]['topics'], topic);
        if (typeof label === 'string') {
          this.topics.set(foldPhrase(label), topic);
          this.topicLocales.set(foldPhrase(label), lng);
        }
      }
    }
  }

  /** True when the text is the label `namespace:path` (a button) in any locale. */
  isLabel(text: string, key: string): boolean {
    let folded = this.labels.get(key);
    if (!folded) {
      const [ns = '', path = ''] = key.split(':');
      folded = new Set(
        SUPPORTED_LOCALES.map((lng) => lookup(this.resources[lng][ns], path))
          .filter((label): label is string => typeof label === 'string')
          .map(foldPhrase),
      );
      this.labels.set(key, folded);
    }
    return folded.has(foldPhrase(text));
  }

  command(text: string): Command | undefined {
    return this.commands.get(foldPhrase(text));
  }

  /** The topic whose button label this is, with the label's language. */
  topic(text: string): { topic: TopicId; locale: SupportedLocale } | undefined {
    const folded = foldPhrase(text);
    const topic = this.topics.get(folded);
    const locale = this.topicLocales.get(folded);
    return topic && locale ? { topic, locale } : undefined;
  }
}

function lookup(node: unknown, dottedPath: string): unknown {
  return dottedPath.split('.').reduce<unknown>((value, part) => {
    return value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  }, node);
}
