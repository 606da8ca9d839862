/** The intent ids that come out of the matcher; other code and outside evaluations rely on exactly these. */
export const INTENT_IDS = [
  'core.relationship',
  'scenario.close_store',
  'scenario.change_entity',
  'scenario.deregister',
  'faq.one_click_unbind',
  'faq.close_store_effect',
  'faq.personal_store',
  'faq.wrong_entity',
  'faq.cxt_expiry',
  'risk.compliance',
  'handoff.human',
  'chitchat.greeting',
  'chitchat.thanks',
  'chitchat.goodbye',
  'help.menu',
  'none',
] as const;

export type IntentId = (typeof INTENT_IDS)[number];

export function isIntentId(value: string): value is IntentId {
  return (INTENT_IDS as readonly string[]).includes(value);
}
