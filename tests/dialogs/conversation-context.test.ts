import { describe, expect, it } from 'vitest';
import { SellerSimulator, type TurnOutput } from '../fixtures/seller-simulator.js';

/** Only one set of buttons per turn, and the source note never stands alone between a question and its buttons. */
function expectCleanRendering(out: TurnOutput, note: string): void {
  expect(out.messages.filter((m) => m.buttons.length > 0).length).toBeLessThanOrEqual(1);
  expect(out.messages.some((m) => m.text === note)).toBe(false);
}

describe('conversation: using what the seller said and asked', () => {
  it('does not re-ask what the seller stated: deregistered, asking how to stop CXT', async () => {
    const seller = new SellerSimulator();
    const t = seller.t('zh-CN');
    const first = await seller.say('公司注销好了，诚信通怎么停');
    expect(first.text).toContain('【终止服务】');
    expect(first.text).not.toContain(t('scenario:deregister.deregistered'));
    const guided = await seller.say(t('facts:guide_yes'));
    expect(guided.text).toContain(t('scenario:stated.company_deregistered.yes'));
    expect(guided.text).toContain(t('scenario:deregister.tracks'));
    expect(guided.text).not.toContain(t('scenario:deregister.deregistered'));
  });

  it('understands free-text answers inside the close-store checklist', async () => {
    const seller = new SellerSimulator();
    const t = seller.t('zh-CN');
    await seller.say(t('topics:scenario.close_store'));
    expect((await seller.say('库存已经清零了')).text).toContain(t('scenario:close_store.orders'));
    expect((await seller.say('订单都发完了')).text).toContain(t('scenario:close_store.deposit'));
    const end = await seller.say('没交过');
    expect(end.text).toContain('98.7%');
    expect(end.text).toContain('37小时');
  });

  it('fills the checklist from facts stated up front and confirms each in one line', async () => {
    const seller = new SellerSimulator();
    const t = seller.t('zh-CN');
    const out = await seller.say('我想关掉速卖通店铺，库存已经清零了，订单也都完成了');
    const guided = out.buttons.includes(t('facts:guide_yes')) ? await seller.say(t('facts:guide_yes')) : out;
    expect(guided.text).toContain(t('scenario:stated.inventory_cleared.yes'));
    expect(guided.text).toContain(t('scenario:stated.orders_fulfilled.yes'));
    expect(guided.messages.at(-1)?.text).toBe(t('scenario:close_store.deposit'));
  });

  it('answers a question asked instead of an answer, then asks the step again', async () => {
    const seller = new SellerSimulator();
    const t = seller.t('zh-CN');
    await seller.say(t('topics:scenario.close_store'));
    const asked = await seller.say('关店审核要多久');
    expect(asked.text).toContain('72小时');
    expect(asked.messages.at(-1)?.text).toBe(t('scenario:close_store.inventory'));
    expectCleanRendering(asked, t('sources:note'));
  });

  it('where the article is silent mid-flow: says so, then offers the flow back and a consultant', async () => {
    const seller = new SellerSimulator();
    const t = seller.t('zh-CN');
    await seller.say(t('topics:scenario.close_store'));
    await seller.say('已完成');
    await seller.say('是的');
    const asked = await seller.say('保证金多久退');
    expect(asked.text).toContain('没有给出');
    expect(asked.text).not.toContain('72小时');
    expect(asked.buttons).toEqual([t('scenario:continue'), t('topics:handoff.human')]);
    expectCleanRendering(asked, t('sources:note'));
    expect((await seller.say(t('scenario:continue'))).text).toContain(t('scenario:close_store.deposit'));
    expect((await seller.say(t('scenario:choice.no_deposit'))).text).toContain('98.7%');
  });

  it('resolves a short follow-up against the last topic', async () => {
    const seller = new SellerSimulator();
    await seller.say('公司注销了，诚信通在哪里终止服务');
    const next = await seller.say('那要多久');
    expect(next.text).toContain('3个工作日');
  });

  it('keeps the deregistration flow when asked about the forced closure inside it', async () => {
    const seller = new SellerSimulator();
    const t = seller.t('zh-CN');
    await seller.say(t('topics:scenario.deregister'));
    await seller.say(t('scenario:choice.deregistered_yes'));
    const asked = await seller.say('速卖通强制关店要交什么材料');
    expect(asked.text).toContain('《准予注销登记通知书》');
    expect(asked.text).not.toContain(t('scenario:close_store.inventory'));
    expect(asked.text).toContain(t('scenario:deregister.tracks'));
    expectCleanRendering(asked, t('sources:note'));
  });

  it('answers another flow topic mid-flow and offers the progress back', async () => {
    const seller = new SellerSimulator();
    const t = seller.t('zh-CN');
    await seller.say(t('topics:scenario.close_store'));
    await seller.say('已完成');
    const other = await seller.say('营业执照法人变更了，速卖通主体怎么换');
    expectCleanRendering(other, t('sources:note'));
    expect(other.buttons).toContain(t('scenario:continue'));
    const back = await seller.say(t('scenario:continue'));
    expect(back.text).toContain(t('scenario:close_store.orders'));
  });

  it('an FAQ answered mid-flow leaves one set of buttons (the offer to resume)', async () => {
    const seller = new SellerSimulator();
    const t = seller.t('zh-CN');
    await seller.say(t('topics:scenario.close_store'));
    const faq = await seller.say('诚信通能一键解绑速卖通吗');
    expectCleanRendering(faq, t('sources:note'));
    expect(faq.buttons).toContain(t('scenario:continue'));
  });
});

describe('conversation: upset sellers and language', () => {
  it('apologises and offers a human at once, in English', async () => {
    const seller = new SellerSimulator({ locale: 'en' });
    const t = seller.t('en');
    const out = await seller.say('This bot is useless, I want to complain');
    expect(out.text).toContain(t('common:apology_offer'));
    expect(out.buttons).toContain(t('common:offer_human_yes'));
    const queued = await seller.say(t('common:offer_human_yes'));
    expect(queued.events.some((e) => e.name === 'handoff.initiate')).toBe(true);
  });

  it('apologises and queues straight away when an angry seller asks for a person', async () => {
    const seller = new SellerSimulator();
    const t = seller.t('zh-CN');
    const out = await seller.say('你们这机器人太垃圾了，我要投诉，给我转人工');
    expect(out.text).toContain(t('common:apology'));
    expect(out.events.some((e) => e.name === 'handoff.initiate')).toBe(true);
  });

  it('switches language on "English please" with an acknowledgement', async () => {
    const seller = new SellerSimulator();
    const out = await seller.say('English please');
    expect(out.text).toContain(seller.t('en')('menu:language_switched'));
    expect(out.text).not.toContain(seller.t('en')('common:not_understood'));
  });

  it('the one-click answer asks its question right above the buttons', async () => {
    const seller = new SellerSimulator();
    const t = seller.t('zh-CN');
    const out = await seller.say('诚信通能一键解绑速卖通吗');
    expect(out.messages.at(-1)?.text).toBe(t('answers:faq.one_click_unbind_prompt'));
    expectCleanRendering(out, t('sources:note'));
  });
});
