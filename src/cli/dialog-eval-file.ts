import { readFileSync } from 'node:fs';
import { evalConversationSchema, type EvalConversation } from './dialog-eval-schema.js';

/** A dialog-evaluation file that cannot be used; the message names the file and line. */
export class EvalFileError extends Error {
  override readonly name = 'EvalFileError';
}

/**
 * Reads a JSONL file of conversations (blank lines and lines starting with `//` are skipped),
 * validating each line; conversation ids must be unique within the file.
 * @throws {EvalFileError} on the first unreadable file, invalid line or repeated id, naming `file:line`.
 */
export function readEvalFile(file: string): EvalConversation[] {
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (error) {
    throw new EvalFileError(`${file}: cannot read (${(error as Error).message})`);
  }
  const conversations: EvalConversation[] = [];
  const seen = new Map<string, number>();
  content.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    const where = `${file}:${index + 1}`;
    if (line.length === 0 || line.startsWith('//')) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      throw new EvalFileError(`${where}: not valid JSON (${(error as Error).message})`);
    }
    const parsed = evalConversationSchema.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(line)'}: ${issue.message}`);
      throw new EvalFileError(`${where}: invalid conversation: ${issues.join('; ')}`);
    }
    const earlier = seen.get(parsed.data.id);
    if (earlier !== undefined) throw new EvalFileError(`${where}: id "${parsed.data.id}" already used on line ${earlier}`);
    seen.set(parsed.data.id, index + 1);
    conversations.push(parsed.data);
  });
  if (conversations.length === 0) throw new EvalFileError(`${file}: no conversations`);
  return conversations;
}
