import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { SUPPORTED_LOCALES, type SupportedLocale } from './supported-locales.js';

/** A namespace file: nested objects whose leaves are strings or arrays of strings. */
type Messages = { [key: string]: string | string[] | Messages };
const messagesSchema: z.ZodType<Messages> = z.lazy(() =>
  z.record(z.string(), z.union([z.string(), z.array(z.string()), messagesSchema])),
);

export type LocaleResources = Record<SupportedLocale, Record<string, Messages>>;

/** A broken locale file; start-up stops with this message. */
export class LocaleFileError extends Error {
  readonly code = 'LOCALE_INVALID';
}

/** Reads `locales/<lng>/<namespace>.json` for every supported locale (other files, e.g. training data, are ignored). */
export function loadLocaleResources(localesDir: string): LocaleResources {
  const resources = {} as LocaleResources;
  for (const lng of SUPPORTED_LOCALES) {
    const dir = join(localesDir, lng);
    const namespaces: Record<string, Messages> = {};
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.json')).sort()) {
      const path = join(dir, file);
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(path, 'utf8'));
      } catch (error) {
        throw new LocaleFileError(`loadLocaleResources(): ${path} is not valid JSON: ${(error as Error).message}`);
      }
      const parsed = messagesSchema.safeParse(raw);
      if (!parsed.success) {
        throw new LocaleFileError(`loadLocaleResources(): ${path}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      }
      namespaces[file.slice(0, -'.json'.length)] = parsed.data;
    }
    resources[lng] = namespaces;
  }
  return resources;
}

/** Every leaf key as `namespace:dotted.path`, for parity checks between locales. */
export function flattenKeys(namespaces: Record<string, Messages>): string[] {
  const keys: string[] = [];
  const walk = (prefix: string, node: Messages): void => {
    for (const [key, value] of Object.entries(node)) {
      const path = `${prefix}${key}`;
      if (typeof value === 'string' || Array.isArray(value)) keys.push(path);
      else walk(`${path}.`, value);
    }
  };
  for (const [ns, messages] of Object.entries(namespaces)) walk(`${ns}:`, messages);
  return keys.sort();
}
