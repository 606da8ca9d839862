/**
 * `npm run eval:dialog -- [--heldout] [file ...]`: plays JSONL sets of seller conversations through the real
 * bot in-process and checks each turn's reply (format: eval/dialog/README.md). Default: the development set,
 * eval/dialog/dev.jsonl; `--heldout` adds eval/dialog/heldout.jsonl instead. Prints a line per conversation
 * that is not right, then `N/M right` overall, per locale and per tag. Exit code 0 whatever the score;
 * 1 when a file is unreadable or a line invalid (the message names file:line), checked before anything runs.
 */
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { createRecognizer } from '../nlu/create-recognizer.js';
import { findRootDir } from '../root-dir.js';
import { ConversationRunner } from './conversation-runner.js';
import { EvalFileError, readEvalFile } from './dialog-eval-file.js';
import { formatFailure, formatSummary } from './dialog-eval-report.js';
import { runEvalConversation, type ConversationResult } from './dialog-eval-run.js';

const rootDir = findRootDir(import.meta.dirname);

/** Relative to the working directory when inside it, else absolute. */
function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.length === 0 || rel.startsWith('..') ? file : rel;
}

async function main(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, options: { heldout: { type: 'boolean', default: false } }, allowPositionals: true });
  const defaults = [join(rootDir, 'eval', 'dialog', values.heldout ? 'heldout.jsonl' : 'dev.jsonl')];
  const files = positionals.length > 0 ? positionals.map((file) => resolve(file)) : defaults;
  const sets = files.map((file) => ({ title: displayPath(file), conversations: readEvalFile(file) }));

  // Embedded defaults rather than the environment: the same set must score the same on every machine.
  const config = parseConfig({ LOG_LEVEL: 'silent' });
  const logger = createLogger('silent');
  const recognizer = createRecognizer(rootDir);
  const newRunner = (locale: string): ConversationRunner => new ConversationRunner({ config, logger, recognizer, rootDir, locale });

  const all: ConversationResult[] = [];
  for (const set of sets) {
    const results: ConversationResult[] = [];
    for (const conversation of set.conversations) {
      const result = await runEvalConversation(conversation, newRunner);
      if (!result.right) console.log(formatFailure(result));
      results.push(result);
    }
    console.log(`\n${formatSummary(set.title, results)}`);
    all.push(...results);
  }
  if (sets.length > 1) console.log(`\n${formatSummary('all files', all)}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof EvalFileError || error instanceof TypeError ? error.message : ((error as Error).stack ?? String(error));
  console.error(`eval:dialog: ${message}`);
  process.exitCode = 1;
});
