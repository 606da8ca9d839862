/**
 * `npm run --silent classify`: JSON lines `{"text": "...", "locale": "zh-CN"}` on stdin ->
 * one JSON line `{"intent","score","alternatives":[{"intent","score"}],"ambiguous","aspects","stated","changeKind","reply","upset"}`
 * per input line on stdout, in order (the last five from the cue reader, see `src/nlu/cues.ts`).
 * Blank lines are skipped. A line that is not valid JSON or lacks a string `text` still gets exactly one output line:
 * `{"intent":"none","score":0,"alternatives":[],"ambiguous":false,"error":{"code","message"}}`, so outputs stay aligned
 * with inputs and the process never crashes on bad input. `locale` is optional (default zh-CN).
 * Diagnostics go to stderr only; `--explain` adds the normalized text and top feature weights to each line.
 */
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { createCueReader } from '../nlu/create-cue-reader.js';
import { loadIntentMatcher } from '../nlu/load-intent-matcher.js';
import { findRootDir } from '../root-dir.js';

const rootDir = findRootDir(import.meta.dirname);

const inputSchema = z.object({
  text: z.string().max(5_000),
  locale: z.string().max(35).optional(),
});

const NO_CUES = { aspects: [], stated: [], changeKind: null, reply: null, upset: false };

function errorLine(code: string, message: string): string {
  return JSON.stringify({ intent: 'none', score: 0, alternatives: [], ambiguous: false, ...NO_CUES, error: { code, message } });
}

async function main(): Promise<void> {
  const explain = process.argv.includes('--explain');
  const matcher = loadIntentMatcher(rootDir);
  const cueReader = createCueReader(rootDir);
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      process.stdout.write(`${errorLine('INVALID_JSON', 'input line is not valid JSON')}\n`);
      continue;
    }
    const parsed = inputSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      process.stdout.write(`${errorLine('INVALID_INPUT', `${issue?.path.join('.') || 'line'}: ${issue?.message ?? 'invalid'}`)}\n`);
      continue;
    }
    const { text, locale = 'zh-CN' } = parsed.data;
    const { aspects, stated, changeKind, reply, upset } = cueReader.read(text, locale);
    const cues = { aspects, stated, changeKind, reply, upset };
    if (explain) {
      const { intent, score, alternatives, ambiguous, normalized, topContributions } = matcher.explain(text, locale);
      process.stdout.write(`${JSON.stringify({ intent, score, alternatives, ambiguous, ...cues, normalized, topContributions })}\n`);
    } else {
      const { intent, score, alternatives, ambiguous } = matcher.recognize(text, locale);
      process.stdout.write(`${JSON.stringify({ intent, score, alternatives, ambiguous, ...cues })}\n`);
    }
  }
}

main().catch((error: unknown) => {
  console.error(`classify: ${(error as Error).message}`);
  process.exitCode = 1;
});
