import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCueReader } from '../../src/nlu/create-cue-reader.js';
import { ASPECT_IDS, STATED_FACT_IDS } from '../../src/nlu/cues.js';
import { ROOT_DIR } from './nlu-test-root.js';

const reader = createCueReader(ROOT_DIR);

// Phrases that carry cues, so that generated texts exercise the patterns and not only the empty path.
const PHRASES = [
  '关店审核大概几天能好', '库存已经清零了', '订单还没发完', '没交过保证金', '法人换了', '是的', '还没', '这机器人没用',
  'which documents prove deregistration', 'not yet', 'I never paid a deposit', 'how long', 'CXT expired', 'where do I click',
  '誠信通已經到期了', 'yes', '公司注销好了', '保证金多少钱', 'who reviews it',
];
const phrase = fc.constantFrom(...PHRASES);
const textWithCues = fc.array(fc.oneof(phrase, fc.string({ maxLength: 8 })), { maxLength: 5 }).map((parts) => parts.join(' '));
const anyText = fc.oneof(fc.string({ maxLength: 200, unit: 'grapheme' }), fc.string({ maxLength: 200, unit: 'binary' }), textWithCues);
const locale = fc.constantFrom('zh-CN', 'zh-TW', 'en', 'fr', '');

/** ASCII printable characters as their full-width forms (U+FF01..U+FF5E), space as the ideographic space. */
const toFullWidth = (text: string): string =>
  text.replace(/[!-~ ]/gu, (char) => (char === ' ' ? '\u3000' : String.fromCharCode(char.charCodeAt(0) + 0xfee0)));

describe('CueReader properties', () => {
  it('never throws and always returns well-formed cues', () => {
    fc.assert(
      fc.property(anyText, locale, (text, loc) => {
        const cues = reader.read(text, loc);
        expect(cues.aspects.every((aspect) => (ASPECT_IDS as readonly string[]).includes(aspect))).toBe(true);
        expect(new Set(cues.aspects).size).toBe(cues.aspects.length);
        expect(cues.stated.every((s) => (STATED_FACT_IDS as readonly string[]).includes(s.fact) && typeof s.value === 'boolean')).toBe(true);
        expect(new Set(cues.stated.map((s) => s.fact)).size).toBe(cues.stated.length);
        expect([null, 'yes', 'no']).toContain(cues.reply);
        expect([null, 'legal_rep', 'name', 'address', 'several']).toContain(cues.changeKind);
        if (cues.upset) expect(cues.reply).toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  it('is deterministic: the same text gives the same cues', () => {
    fc.assert(fc.property(anyText, locale, (text, loc) => {
      expect(reader.read(text, loc)).toEqual(reader.read(text, loc));
    }), { numRuns: 300 });
  });

  it('reads full-width text exactly as half-width text', () => {
    fc.assert(fc.property(textWithCues, (text) => {
      expect(reader.read(toFullWidth(text), 'zh-CN')).toEqual(reader.read(text, 'zh-CN'));
    }), { numRuns: 300 });
  });

  it('a question mark anywhere means the text is no yes/no answer', () => {
    fc.assert(fc.property(textWithCues, fc.constantFrom('?', '？'), (text, mark) => {
      expect(reader.read(`${text}${mark}`, 'zh-CN').reply).toBeNull();
    }), { numRuns: 300 });
  });

  it('trailing exclamation marks and emoji change nothing', () => {
    fc.assert(
      fc.property(textWithCues, fc.constantFrom('!', '！！', '😂', ' 👍', '~'), (text, tail) => {
        expect(reader.read(`${text}${tail}`, 'en')).toEqual(reader.read(text, 'en'));
      }),
      { numRuns: 300 },
    );
  });
});
