import { describe, expect, it } from 'vitest';
import { SellerSimulator } from '../fixtures/seller-simulator.js';

describe('scenario 2: change the store entity after a business-registration change', () => {
  it.each(['legal_rep', 'name', 'address', 'several'])('records a %s change, then gives materials, timeline and the CXT note', async (change) => {
    const seller = new SellerSimulator();
    const t = seller.t('zh-CN');
    const start = await seller.say(t('topics:scenario.change_entity'));
    expect(start.text).toBe(t('scenario:change_entity.what_changed'));
    const label = t(`scenario:change_entity.change.${change}`);
    expect(start.buttons).toContain(label);
    expect((await seller.say(label)).text).toBe(t('scenario:change_entity.registration_done', { what_changed: label }));
    const end = await seller.say('已完成');
    expect(end.text).toContain('【资质管理】');
    expect(end.text).toContain('5–7个工作日');
    expect(end.text).toContain('不会自动清除');
    expect(end.text).toContain(t('scenario:change_entity.cxt_not_involved'));
    expect(end.buttons).toEqual([t('topics:faq.wrong_entity'), t('topics:risk.compliance'), t('topics:menu.main')]);
  });

  it('asks to finish the registration change first when it is not done', async () => {
    const seller = new SellerSimulator();
    const t = seller.t('zh-CN');
    await seller.say(t('topics:scenario.change_entity'));
    await seller.say(t('scenario:change_entity.change.name'));
    expect((await seller.say('还没')).text).toBe(t('scenario:change_entity.registration_todo'));
    expect((await seller.say(t('scenario:choice.done_continue'))).text).toContain('5–7个工作日');
  });

  it('sends a seller who used CXT data by mistake to that FAQ instead', async () => {
    const seller = new SellerSimulator();
    const t = seller.t('zh-CN');
    await seller.say(t('topics:scenario.change_entity'));
    const out = await seller.say(t('scenario:change_entity.change.wrong_entity'));
    expect(out.text).toContain(t('answers:faq.wrong_entity'));
    expect(out.text).toContain('不可迁移');
  });

  it('runs in English', async () => {
    const seller = new SellerSimulator({ locale: 'en' });
    const t = seller.t('en');
    await seller.say(t('topics:scenario.change_entity'));
    await seller.say('2');
    const end = await seller.say('yes');
    expect(end.text).toContain('5–7 working days');
    expect(end.text).toContain(t('scenario:change_entity.cxt_not_involved'));
  });
});
