import { NluDataError } from './nlu-data-error.js';

/** Pattern sources with `{NAME}` placeholders, and the macros that fill them. */
export class CuePatternCompiler {
  constructor(
    private readonly macros: Readonly<Record<string, string>>,
    /** Names the file in error messages. */
    private readonly origin: string,
  ) {}

  /** Expands `{NAME}` placeholders; an unknown name is an error rather than a literal brace in the pattern. */
  expand(source: string, where: string): string {
    return source.replace(/\{([A-Z0-9]+)\}/gu, (_whole, name: string) => {
      const body = this.macros[name];
      if (body === undefined) throw new NluDataError('NLU_FILE_INVALID', `${this.origin}: ${where}: unknown macro {${name}}`);
      return body;
    });
  }

  /** One regular expression from one source; `where` (e.g. `stated.deposit_paid.deny[2]`) names it in errors. */
  compile(source: string, where: string, flags = 'u'): RegExp {
    const expanded = this.expand(source, where);
    try {
      return new RegExp(expanded, flags);
    } catch (error) {
      throw new NluDataError('NLU_FILE_INVALID', `${this.origin}: ${where}: not a valid regular expression (${(error as Error).message})`);
    }
  }

  /** Several sources as one alternation (for a yes/no test), or `undefined` when there are none. */
  compileAny(sources: readonly string[], where: string, flags = 'u'): RegExp | undefined {
    if (sources.length === 0) return undefined;
    // Each source alone first, so that an error names the broken entry and not the whole alternation.
    sources.forEach((source, i) => this.compile(source, `${where}[${i}]`, flags));
    return this.compile(sources.map((source) => `(?:${source})`).join('|'), where, flags);
  }
}
