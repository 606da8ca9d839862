/**
 * The second reader beside the intent matcher: what a message asks about (aspects), what it states about the seller's
 * situation, whether it answers a yes/no question, and whether the seller is upset. Topic comes from the matcher;
 * these cues say which fact of that topic to give and which flow steps are already answered.
 */

/** Which kind of fact a question asks for. */
export const ASPECT_IDS = ['duration', 'where', 'documents', 'rule', 'who', 'prerequisites', 'effects', 'statistics', 'risks', 'cost'] as const;
export type AspectId = (typeof ASPECT_IDS)[number];

/** Facts about the seller's own situation that a message can state (value false = stated as not done / not so). */
export const STATED_FACT_IDS = [
  'company_deregistered',
  'registration_changed',
  'inventory_cleared',
  'orders_fulfilled',
  'deposit_paid',
  'store_closed',
  'cxt_terminated',
  'cxt_expired',
  'personal_store',
] as const;
export type StatedFactId = (typeof STATED_FACT_IDS)[number];

/** One fact the seller stated; `value` false when it was stated as not done / not so ("orders not all shipped yet"). */
export interface StatedFact {
  readonly fact: StatedFactId;
  readonly value: boolean;
}

/** Which business-registration item changed (change-entity flow, first step). */
export type ChangeKind = 'legal_rep' | 'name' | 'address' | 'several';

/** Everything the cue reader found in one message. */
export interface Cues {
  /** Aspects asked for, main one first; empty for a topic-only or "how do I" question. */
  readonly aspects: readonly AspectId[];
  /** Facts about the seller's situation stated in the message. */
  readonly stated: readonly StatedFact[];
  /** The registration item the message says changed (or asks about changing); null when none is named. */
  readonly changeKind: ChangeKind | null;
  /**
   * Read as an answer to a yes/no question: shi de / dui / yijing qingling le / hao le / done / yes → 'yes';
   * hai mei / meiyou / mei jiao guo / not yet / no → 'no'; a question or anything else → null.
   * (Examples in pinyin: source files carry no Chinese; the lexicon in locales/nlu/cues.json has the words.)
   */
  readonly reply: 'yes' | 'no' | null;
  /** A complaint or anger ("this bot is useless", tousu, laji, useless, complain, terrible...). */
  readonly upset: boolean;
}

/** Synchronous, deterministic, no network; zh-CN, zh-TW (Traditional) and en, typos and mixed language. */
export interface CueReader {
  read(text: string, locale: string): Cues;
}
