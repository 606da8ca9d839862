import { existsSync, readFileSync } from 'node:fs';
import { NluDataError } from './nlu-data-error.js';
import { utteranceSchema, type LabelledUtterance } from './nlu-data.schema.js';

/**
 * Parses a JSONL file of labelled utterances; every row is validated and the first bad row stops the load
 * with its line number, so a typo in training data can never silently change the model.
 */
export function readUtteranceFile(path: string): LabelledUtterance[] {
  if (!existsSync(path)) throw new NluDataError('NLU_FILE_MISSING', `readUtteranceFile(): ${path} does not exist`);
  return parseUtteranceLines(readFileSync(path, 'utf8'), path);
}

/** Same as {@link readUtteranceFile} over text already in memory; `origin` names it in errors. */
export function parseUtteranceLines(content: string, origin: string): LabelledUtterance[] {
  const rows: LabelledUtterance[] = [];
  const lines = content.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '' || line.trimStart().startsWith('//')) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (error) {
      throw new NluDataError('NLU_FILE_INVALID_JSON', `${origin}:${index + 1}: not valid JSON (${(error as Error).message})`);
    }
    const parsed = utteranceSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new NluDataError('NLU_FILE_INVALID', `${origin}:${index + 1}: ${issue?.path.join('.') || 'row'}: ${issue?.message ?? 'invalid'}`);
    }
    rows.push(parsed.data);
  }
  return rows;
}
