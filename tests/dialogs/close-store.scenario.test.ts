import { describe, expect, it } from 'vitest';
import { SellerSimulator } from '../fixtures/seller-simulator.js';

const zh = new SellerSimulator().t('zh-CN');

async function startCloseStore(locale: 'zh-CN' | 'en' = 'zh-CN') {
  const seller = new SellerSimulator({ locale });
  const t = seller.t(locale);
  const intro = await seller.say(t('topics:scenario.close_store'));
  return { seller, t, intro };
}

describe('scenario 1: close only the AliExpress store, keep CXT', () => {
  it('gives the back-office path, then asks the three preconditions one by one', async () => {
    const { seller, t, intro } = await startCloseStore();
    expect(intro.text).toContain('【账户设置】→【店铺管理】→【关闭店铺】');
    expect(intro.messages.at(-1)?.text).toBe(t('scenario:close_store.inventory'));
    expect(intro.buttons).toEqual([t('scenario:choice.done'), t('scenario:choice.not_yet')]);
    expect((await seller.say('已完成')).text).toBe(t('scenario:close_store.orders'));
    expect((await seller.say('是的')).text).toBe(t('scenario:close_store.deposit'));
    const end = await seller.say(t('scenario:choice.no_deposit'));
    expect(end.text).toContain('98.7%');
    expect(end.text).toContain('72小时');
    expect(end.text).toContain('37小时');
    expect(end.text).toContain('《速卖通商家服务白皮书2024上半年版》，P.22');
    expect(end.text).toContain(t('scenario:close_store.cxt_unaffected'));
    expect(end.text).toContain(t('sources:note'));
    expect(end.buttons).toContain(t('topics:faq.close_store_effect'));
  });

  it('explains what to do when inventory is not cleared, then continues once it is', async () => {
    const { seller, t } = await startCloseStore();
    const todo = await seller.say('还没有');
    expect(todo.text).toBe(t('scenario:close_store.inventory_todo'));
    expect(todo.buttons).toEqual([t('scenario:choice.done_continue'), t('scenario:choice.later'), t('topics:handoff.human')]);
    expect((await seller.say(t('scenario:choice.done_continue'))).text).toBe(t('scenario:close_store.orders'));
  });

  it('pauses when orders are not fulfilled and the seller comes back later', async () => {
    const { seller, t } = await startCloseStore();
    await seller.say('已完成');
    expect((await seller.say('没有')).text).toBe(t('scenario:close_store.orders_todo'));
    const later = await seller.say(t('scenario:choice.later'));
    expect(later.text).toBe(t('scenario:later'));
    expect(later.buttons).toContain(t('topics:scenario.close_store'));
  });

  it('a deposit leads to the refund step before the timeline', async () => {
    const { seller, t } = await startCloseStore();
    await seller.say('1');
    await seller.say('1');
    expect((await seller.say(t('scenario:choice.paid_deposit'))).text).toBe(t('scenario:close_store.deposit_refund'));
    expect((await seller.say(t('scenario:choice.understood_continue'))).text).toContain('98.7%');
  });

  it('the human button inside the flow hands off with the step reached', async () => {
    const { seller } = await startCloseStore();
    await seller.say('还没有');
    const out = await seller.say(zh('topics:handoff.human'));
    expect(out.events[0]?.name).toBe('handoff.initiate');
    expect(out.events[0]?.value).toMatchObject({ scenario: 'scenario.close_store', step: 'inventory_todo' });
  });

  it('runs in English with the same facts', async () => {
    const { seller, t, intro } = await startCloseStore('en');
    expect(intro.text).toContain('【账户设置】 (Account Settings) → 【店铺管理】 (Store Management) → 【关闭店铺】 (Close Store)');
    await seller.say('yes');
    await seller.say('done');
    const end = await seller.say('no');
    expect(end.text).toContain('**98.7%**');
    expect(end.text).toContain('**72 hours**');
    expect(end.text).toContain('**37 hours**');
    expect(end.text).toContain(t('scenario:close_store.cxt_unaffected'));
  });
});
