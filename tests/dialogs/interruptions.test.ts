import { describe, expect, it } from 'vitest';
import { SellerSimulator } from '../fixtures/seller-simulator.js';

async function midCloseStore(locale: 'zh-CN' | 'en' = 'zh-CN') {
  const seller = new SellerSimulator({ locale });
  const t = seller.t(locale);
  await seller.say(t('topics:scenario.close_store'));
  await seller.say(locale === 'en' ? 'yes' : '已完成'); // now at "orders"
  return { seller, t };
}

describe('interruptions at any step', () => {
  it('a new question mid-scenario is answered, then the scenario resumes where it stopped', async () => {
    const { seller, t } = await midCloseStore();
    const aside = await seller.say('诚信通到期没续费，速卖通店铺会被关吗');
    expect(aside.text).toContain(t('answers:faq.cxt_expiry'));
    expect(aside.text).toContain(t('scenario:resume_prompt', { scenario: t('topics:scenario.close_store') }));
    expect(aside.buttons).toEqual([t('scenario:continue'), t('topics:menu.main')]);
    const resumed = await seller.say(t('scenario:continue'));
    expect(resumed.messages.at(-1)?.text).toBe(t('scenario:close_store.orders'));
    expect((await seller.say('已完成')).text).toBe(t('scenario:close_store.deposit'));
  });

  it('the scenario still takes its answer right after an aside, without saying "continue"', async () => {
    const { seller, t } = await midCloseStore();
    await seller.say('谢谢');
    expect((await seller.say('已完成')).text).toBe(t('scenario:close_store.deposit'));
  });

  it('"menu" leaves the scenario and shows the main menu', async () => {
    const { seller, t } = await midCloseStore();
    const out = await seller.say('菜单');
    expect(out.text).toBe(t('menu:main_prompt'));
    expect(out.buttons[0]).toBe(t('topics:scenario.close_store'));
    const after = await seller.say('已完成');
    expect(after.text).not.toBe(t('scenario:close_store.deposit'));
  });

  it('"cancel" ends the scenario', async () => {
    const { seller, t } = await midCloseStore();
    const out = await seller.say('取消');
    expect(out.messages[0]?.text).toBe(t('menu:cancelled'));
    expect(out.buttons).toContain(t('topics:scenario.deregister'));
  });

  it('"start over" clears progress and answers', async () => {
    const seller = new SellerSimulator();
    const t = seller.t('zh-CN');
    await seller.say(t('topics:scenario.deregister'));
    await seller.say('是');
    await seller.say(t('scenario:deregister.track.ae'));
    await seller.say(t('scenario:choice.submitted'));
    expect((await seller.say('重新开始')).messages[0]?.text).toBe(t('menu:restarted'));
    await seller.say(t('topics:scenario.deregister'));
    const tracks = await seller.say('是');
    expect(tracks.buttons).toContain(t('scenario:deregister.track.ae'));
  });

  it('switching language mid-scenario re-asks the current step in the new language', async () => {
    const { seller } = await midCloseStore();
    const en = seller.t('en');
    const out = await seller.say('English');
    expect(out.messages[0]?.text).toBe(en('menu:language_switched'));
    expect(out.messages.at(-1)?.text).toBe(en('scenario:close_store.orders'));
    expect(out.buttons).toEqual([en('scenario:choice.done'), en('scenario:choice.not_yet')]);
    const back = await seller.say('中文');
    expect(back.messages.at(-1)?.text).toBe(seller.t('zh-CN')('scenario:close_store.orders'));
  });

  it('an explicit language choice sticks even when the seller types the other language', async () => {
    const seller = new SellerSimulator();
    await seller.say('English');
    const out = await seller.say('诚信通能一键解绑速卖通吗');
    expect(out.text).toContain(seller.t('en')('answers:faq.one_click_unbind'));
  });

  it('asking for a human mid-scenario hands off with the progress so far', async () => {
    const { seller } = await midCloseStore();
    const out = await seller.say('转人工');
    expect(out.events).toHaveLength(1);
    expect(out.events[0]?.value).toMatchObject({ scenario: 'scenario.close_store', step: 'orders' });
  });

  it('asking for another scenario mid-scenario switches to it', async () => {
    const { seller, t } = await midCloseStore();
    const out = await seller.say(t('topics:scenario.change_entity'));
    expect(out.text).toBe(t('scenario:change_entity.what_changed'));
  });
});
