import type { SupportedLocale } from '../../src/i18n/supported-locales.js';
import type { FactTopicId, SubjectId } from '../../src/knowledge/knowledge-schema.js';
import type { ChangeKind, StatedFactId } from '../../src/nlu/cues.js';
import type { IntentId } from '../../src/nlu/intents.js';

/** One recognised seller message, kept for the consultant's case card. */
export interface RecognisedMessage {
  readonly text: string;
  readonly intent: IntentId;
  readonly score: number;
}

/** What the bot believes about the handoff; the authoritative state lives in the handoff module. */
export type BotHandoffView = 'bot' | 'queued' | 'agent';

/** A question the bot asked outside any dialog, answered on the next turn. */
export type PendingQuestion = 'resume' | 'handoff' | 'guide';

/** Per-conversation memory of the bot (conversation state property `seller`). */
export interface SellerProfile {
  /** Language the seller chose explicitly (the `english` / `chinese` commands). */
  chosenLocale?: SupportedLocale;
  /** Language of the last turn, used when a message does not reveal its language. */
  lastLocale?: SupportedLocale;
  /** Consecutive messages the bot did not understand. */
  misses: number;
  /** Latest recognised messages, newest last (bounded). */
  recognised: RecognisedMessage[];
  /** Scenario and step reached most recently, for the case card. */
  scenario?: string;
  step?: string;
  /** The seller's answers, `<scenario>/<step>` to the chosen label. */
  answers: Record<string, string>;
  /** Progress flags per scenario (e.g. which deregistration tracks are done). */
  flags: Record<string, string[]>;
  handoff: BotHandoffView;
  pending?: PendingQuestion;
  /** What the seller has said about their situation (company deregistered, inventory cleared...), latest wins. */
  stated?: Partial<Record<StatedFactId, boolean>>;
  /** Which registration item the seller said changed. */
  changeKind?: ChangeKind;
  /** Topic and subject of the last fact answer, for short follow-ups ("how long?", "where?"). */
  topic?: FactTopicId;
  subject?: SubjectId;
}

export const SELLER_PROFILE_PROPERTY = 'seller';
export const MAX_RECOGNISED_KEPT = 10;

export function newSellerProfile(): SellerProfile {
  return { misses: 0, recognised: [], answers: {}, flags: {}, handoff: 'bot' };
}
