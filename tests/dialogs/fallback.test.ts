import { describe, expect, it } from 'vitest';
import type { Recognition, Recognizer } from '../../src/nlu/recognizer.js';
import { SellerSimulator } from '../fixtures/seller-simulator.js';

/** A recognizer that always finds the same two intents too close to call (only for the disambiguation dialog). */
const torn: Recognizer = {
  recognize: (): Recognition => ({
    intent: 'faq.wrong_entity',
    score: 0.46,
    alternatives: [{ intent: 'scenario.change_entity', score: 0.41 }],
    ambiguous: true,
  }),
};

describe('low confidence and fallback', () => {
  it('says it did not understand an out-of-scope question and shows the menu', async () => {
    const seller = new SellerSimulator();
    const t = seller.t('zh-CN');
    const out = await seller.say('京东店铺怎么关闭');
    expect(out.text).toBe(t('common:not_understood'));
    expect(out.buttons).toContain(t('topics:handoff.human'));
    expect(out.events).toHaveLength(0);
  });

  it('offers a human after two misunderstandings in a row; accepting hands off with reason "fallback"', async () => {
    const seller = new SellerSimulator();
    const t = seller.t('zh-CN');
    await seller.say('京东店铺怎么关闭');
    const second = await seller.say('推荐一部电影');
    expect(second.text).toBe(t('common:offer_human'));
    expect(second.buttons).toEqual([t('common:offer_human_yes'), t('common:offer_human_no')]);
    const yes = await seller.say('好的');
    expect(yes.events[0]?.name).toBe('handoff.initiate');
    expect(yes.events[0]?.value).toMatchObject({ reason: 'fallback', locale: 'zh-CN' });
  });

  it('declining the offer goes back to the menu and resets the count', async () => {
    const seller = new SellerSimulator();
    const t = seller.t('zh-CN');
    await seller.say('京东店铺怎么关闭');
    await seller.say('推荐一部电影');
    const no = await seller.say(t('common:offer_human_no'));
    expect(no.text).toBe(t('menu:main_prompt'));
    expect((await seller.say('抖音小店怎么注销')).text).toBe(t('common:not_understood'));
  });

  it('a misunderstanding inside a scenario re-asks the current step', async () => {
    const seller = new SellerSimulator();
    const t = seller.t('zh-CN');
    await seller.say(t('topics:scenario.close_store'));
    const out = await seller.say('推荐一部电影');
    expect(out.messages[0]?.text).toBe(t('common:not_understood_in_scenario'));
    expect(out.messages.at(-1)?.text).toBe(t('scenario:close_store.inventory'));
  });

  it('asks "A or B?" when the top two intents are close, and each button answers', async () => {
    const seller = new SellerSimulator({ recognizer: torn });
    const t = seller.t('zh-CN');
    const first = t('topics:faq.wrong_entity');
    const second = t('topics:scenario.change_entity');
    const out = await seller.say('换主体');
    expect(out.text).toBe(t('common:disambiguate', { first, second }));
    expect(out.buttons).toEqual([first, second, t('common:neither')]);
    expect((await seller.say(second)).text).toBe(t('scenario:change_entity.what_changed'));
  });

  it('"neither" counts as not understood', async () => {
    const seller = new SellerSimulator({ recognizer: torn });
    const t = seller.t('zh-CN');
    await seller.say('换主体');
    expect((await seller.say(t('common:neither'))).text).toBe(t('common:not_understood'));
  });
});

describe('on-topic questions the article does not answer', () => {
  it.each([
    ['zh-CN', '诚信通一年多少钱'],
    ['zh-CN', '速卖通保证金多久能退回来'],
    ['en', 'How much does CXT cost per year?'],
  ] as const)('%s "%s": says it does not know and offers a human, without guessing', async (locale, question) => {
    const seller = new SellerSimulator({ locale });
    const t = seller.t(locale);
    const out = await seller.say(question);
    // Either the general "the article does not say" or the nearest silent fact: both admit it and offer a person.
    expect(out.text).toMatch(locale === 'en' ? /does not (cover|say|give)/ : /没有说明|没有给出/);
    expect(out.messages.flatMap((m) => m.buttons)).toContain(t('topics:handoff.human'));
    expect(out.text).not.toMatch(/\d+\s*(元|yuan|RMB|CNY|¥)/i);
    expect(out.traces[0]?.value).toMatchObject({ intent: 'none', onTopic: true });
  });
});
