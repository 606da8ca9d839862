import { describe, expect, it } from 'vitest';
import { SellerSimulator } from '../fixtures/seller-simulator.js';

describe('welcome and main menu', () => {
  it.each(['zh-CN', 'en'] as const)('welcomes in %s with the three scenarios, FAQ and human help as buttons', async (locale) => {
    const seller = new SellerSimulator({ locale });
    const t = seller.t(locale);
    const out = await seller.open();
    expect(out.text).toBe(t('menu:welcome'));
    expect(out.buttons).toEqual([
      t('topics:scenario.close_store'),
      t('topics:scenario.change_entity'),
      t('topics:scenario.deregister'),
      t('topics:menu.faq'),
      t('topics:handoff.human'),
    ]);
  });

  it('lists the five FAQs plus core logic and risk tips behind the FAQ button', async () => {
    const seller = new SellerSimulator();
    const t = seller.t('zh-CN');
    await seller.open();
    const out = await seller.say(t('topics:menu.faq'));
    expect(out.buttons).toEqual([
      t('topics:faq.one_click_unbind'),
      t('topics:faq.close_store_effect'),
      t('topics:faq.personal_store'),
      t('topics:faq.wrong_entity'),
      t('topics:faq.cxt_expiry'),
      t('topics:core.relationship'),
      t('topics:risk.compliance'),
      t('topics:menu.main'),
    ]);
  });

  it('answers greetings, thanks, goodbye and help', async () => {
    const seller = new SellerSimulator();
    const t = seller.t('zh-CN');
    expect((await seller.say('您好')).text).toContain(t('menu:greeting'));
    expect((await seller.say('谢谢啦')).text).toContain(t('menu:thanks'));
    expect((await seller.say('你会什么')).text).toContain(t('menu:help'));
    expect((await seller.say('好的再见')).text).toContain(t('menu:goodbye'));
  });

  it('a tapped button is understood in either language', async () => {
    const seller = new SellerSimulator({ locale: 'en' });
    const out = await seller.say(seller.t('en')('topics:faq.cxt_expiry'));
    expect(out.text).toContain(seller.t('en')('answers:faq.cxt_expiry'));
  });
});
