import type { LocaleResources } from '../../src/i18n/load-locales.js';
import { SUPPORTED_LOCALES } from '../../src/i18n/supported-locales.js';
import { SUBJECT_IDS, type SubjectId } from '../../src/knowledge/knowledge-schema.js';

/** The two platforms, named to tell which side of a two-sided topic (deregistration) a question is about. */
const PLATFORMS = ['aliexpress', 'cxt'] as const;
type Platform = (typeof PLATFORMS)[number];

/** What a message is narrowly about, beyond its topic. */
export interface SubjectSighting {
  /** The first subject named, in SUBJECT_IDS order (the more specific ones come first). */
  readonly subject: SubjectId | null;
  readonly platforms: ReadonlySet<Platform>;
}

function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/**
 * Spots subjects (deposit, order history, forced closure...) and platform names by the term lists in
 * `locales/<lng>/subjects.json`, every locale at once (sellers mix languages; Traditional forms are listed there).
 */
export class SubjectSpotter {
  private readonly terms = new Map<SubjectId | Platform, string[]>();

  constructor(resources: LocaleResources) {
    for (const id of [...SUBJECT_IDS, ...PLATFORMS]) {
      const terms = SUPPORTED_LOCALES.flatMap((lng) => {
        const list = (resources[lng]['subjects'] as Record<string, unknown> | undefined)?.[id];
        if (!Array.isArray(list)) throw new Error(`SubjectSpotter(): locales/${lng}/subjects.json lacks "${id}"`);
        return list.map((term) => fold(String(term)));
      });
      this.terms.set(id, terms);
    }
  }

  spot(text: string): SubjectSighting {
    const folded = fold(text);
    const names = (id: SubjectId | Platform): boolean => this.terms.get(id)!.some((term) => this.contains(folded, term));
    const subject = SUBJECT_IDS.find(names) ?? null;
    return { subject, platforms: new Set(PLATFORMS.filter(names)) };
  }

  /** Latin terms match whole words ("order" is not inside "border"); Chinese terms match anywhere. */
  private contains(text: string, term: string): boolean {
    if (!/^[a-z0-9 .'-]+$/.test(term)) return text.includes(term);
    const at = text.indexOf(term);
    if (at < 0) return false;
    return new RegExp(`(^|[^a-z])${term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(s|es)?($|[^a-z])`).test(text);
  }
}
