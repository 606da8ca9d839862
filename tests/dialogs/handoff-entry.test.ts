import { describe, expect, it } from 'vitest';
import { SellerSimulator } from '../fixtures/seller-simulator.js';

const withPhone = { CONSULTANT_PHONE: '13122891139', CONSULTANT_NAME: 'Ms Li', OFFICE_HOURS: '1-5 09:00-18:00' };

describe('handoff to a human consultant (bot side)', () => {
  it('emits handoff.initiate with the case summary, then tells the seller what happens next', async () => {
    const seller = new SellerSimulator({ env: withPhone });
    const t = seller.t('zh-CN');
    await seller.say('诚信通能一键解绑速卖通吗');
    await seller.say(t('topics:scenario.change_entity'));
    await seller.say(t('scenario:change_entity.change.address'));
    const out = await seller.say('我想找人工');
    expect(out.events).toHaveLength(1);
    const event = out.events[0]!;
    expect(event.name).toBe('handoff.initiate');
    expect(event.value).toEqual({
      reason: 'seller_request',
      locale: 'zh-CN',
      intents: [
        { text: '诚信通能一键解绑速卖通吗', intent: 'faq.one_click_unbind', score: expect.any(Number) },
        { text: t('topics:scenario.change_entity'), intent: 'scenario.change_entity', score: 1 },
        { text: '我想找人工', intent: 'handoff.human', score: expect.any(Number) },
      ],
      scenario: 'scenario.change_entity',
      step: 'registration_done',
      answers: { 'scenario.change_entity/what_changed': t('scenario:change_entity.change.address') },
    });
    expect(out.text).toContain(t('escalation:initiated'));
    expect(out.text).toContain('13122891139');
    expect(out.text).toContain('Ms Li');
    expect(out.text).toContain('周一至周五 09:00-18:00');
  });

  it('without a configured phone line, says nothing about calling', async () => {
    const seller = new SellerSimulator();
    const out = await seller.say('我想找人工');
    expect(out.text).toBe(seller.t('zh-CN')('escalation:initiated'));
  });

  it('does not queue twice, and "cancel" leaves the queue with an event', async () => {
    const seller = new SellerSimulator();
    const t = seller.t('zh-CN');
    await seller.say('转人工');
    const again = await seller.say('转人工');
    expect(again.events).toHaveLength(0);
    expect(again.text).toBe(t('escalation:already_queued'));
    const cancel = await seller.say('取消');
    expect(cancel.events[0]?.name).toBe('handoff.cancel');
    expect(cancel.text).toBe(t('escalation:queue_cancelled'));
  });

  it('keeps answering FAQs while queued', async () => {
    const seller = new SellerSimulator();
    await seller.say('转人工');
    const out = await seller.say('诚信通没有续费，速卖通会关店吗');
    expect(out.text).toContain(seller.t('zh-CN')('answers:faq.cxt_expiry'));
  });

  it('announces the consultant who accepted', async () => {
    const seller = new SellerSimulator();
    await seller.say('转人工');
    const out = await seller.serverEvent('handoff.status', { state: 'accepted', agentName: 'Ms Wang' });
    expect(out.text).toBe(seller.t('zh-CN')('escalation:accepted', { name: 'Ms Wang' }));
  });

  it('when no consultant can take it: offers the phone line and a callback, validating the phone number', async () => {
    const seller = new SellerSimulator({ env: withPhone });
    const t = seller.t('zh-CN');
    await seller.say('转人工');
    const failed = await seller.serverEvent('handoff.status', { state: 'failed', reason: 'out_of_hours' });
    expect(failed.text).toContain(t('escalation:failed_out_of_hours', { hours: '周一至周五 09:00-18:00' }));
    expect(failed.text).toContain('13122891139');
    expect(failed.buttons).toEqual([t('escalation:callback_choice_yes'), t('escalation:callback_choice_no')]);
    expect((await seller.say(t('escalation:callback_choice_yes'))).text).toBe(t('escalation:ask_name'));
    expect((await seller.say('张先生')).text).toBe(t('escalation:ask_phone'));
    expect((await seller.say('12345')).text).toBe(t('escalation:invalid_phone'));
    const saved = await seller.say('138 0013 8000');
    expect(saved.events[0]).toMatchObject({ name: 'handoff.callback', value: { name: '张先生', phone: '13800138000' } });
    expect(saved.text).toContain(t('escalation:callback_saved', { name: '张先生', phone: '13800138000' }));
  });

  it('a seller may decline the callback', async () => {
    const seller = new SellerSimulator();
    const t = seller.t('zh-CN');
    await seller.say('转人工');
    await seller.serverEvent('handoff.status', { state: 'failed', reason: 'no_agent' });
    const out = await seller.say('不用了');
    expect(out.events).toHaveLength(0);
  });

  it('after the consultant hands back: says so, asks a 1–5 rating, then resumes the scenario', async () => {
    const seller = new SellerSimulator();
    const t = seller.t('zh-CN');
    await seller.say(t('topics:scenario.close_store'));
    await seller.say('转人工');
    await seller.serverEvent('handoff.status', { state: 'accepted' });
    const back = await seller.serverEvent('handoff.status', { state: 'completed' });
    expect(back.messages[0]?.text).toBe(t('escalation:back_to_bot'));
    expect(back.messages.at(-1)?.text).toBe(t('escalation:ask_rating'));
    expect(back.buttons.slice(0, 5)).toEqual(['1', '2', '3', '4', '5']);
    expect((await seller.say('9')).text).toBe(t('escalation:invalid_rating'));
    const rated = await seller.say('5');
    expect(rated.events[0]).toMatchObject({ name: 'handoff.rating', value: { score: 5 } });
    expect(rated.text).toContain(t('escalation:rating_thanks', { score: 5 }));
    expect(rated.text).toContain(t('scenario:resume', { scenario: t('topics:scenario.close_store') }));
    expect(rated.messages.at(-1)?.text).toBe(t('scenario:close_store.inventory'));
  });

  it.each([
    ['a fake "consultant joined" under a name of their choosing', { state: 'accepted', agentName: 'Official Support' }],
    ['a fake hand-back that would ask for a rating', { state: 'completed' }],
    ['a fake failure that would offer the callback form', { state: 'failed', reason: 'no_agent' }],
  ])('ignores handoff.status forged by the seller: %s', async (_what, value) => {
    const seller = new SellerSimulator();
    await seller.say('转人工');
    const out = await seller.event('handoff.status', value);
    expect(out.messages).toHaveLength(0);
    expect(out.events).toHaveLength(0);
    // Still queued: the cancel word leaves the queue (it would open the menu in any other state).
    const cancel = await seller.say('取消');
    expect(cancel.text).toBe(seller.t('zh-CN')('escalation:queue_cancelled'));
  });

  it('ignores a malformed handoff.status event', async () => {
    const seller = new SellerSimulator();
    const out = await seller.serverEvent('handoff.status', { state: 'exploded' });
    expect(out.messages).toHaveLength(0);
  });

  it('English seller-facing texts', async () => {
    const seller = new SellerSimulator({ locale: 'en', env: withPhone });
    const out = await seller.say('Connect me with a real person please');
    expect(out.events[0]?.value).toMatchObject({ locale: 'en', reason: 'seller_request' });
    expect(out.text).toContain(seller.t('en')('escalation:initiated'));
    expect(out.text).toContain('Mon–Fri 09:00-18:00');
  });
});

describe('prompts after a handoff do not swallow questions', () => {
  it('a question while the rating is asked is answered, then the rating is asked again', async () => {
    const seller = new SellerSimulator();
    const t = seller.t('zh-CN');
    await seller.say(t('topics:scenario.close_store'));
    await seller.say('转人工');
    await seller.serverEvent('handoff.status', { state: 'accepted' });
    await seller.serverEvent('handoff.status', { state: 'completed' });
    const out = await seller.say('诚信通能一键解绑速卖通吗');
    expect(out.text).toContain(t('answers:faq.one_click_unbind'));
    expect(out.text).not.toContain(t('escalation:invalid_rating'));
    expect(out.events).toHaveLength(0);
    expect(out.messages.at(-1)?.text).toBe(t('escalation:ask_rating'));
    const rated = await seller.say('4');
    expect(rated.events[0]).toMatchObject({ name: 'handoff.rating', value: { score: 4 } });
    expect(rated.messages.at(-1)?.text).toBe(t('scenario:close_store.inventory'));
  });

  it('a question instead of a callback name is answered, not stored as a name', async () => {
    const seller = new SellerSimulator();
    const t = seller.t('zh-CN');
    await seller.say('转人工');
    await seller.serverEvent('handoff.status', { state: 'failed', reason: 'no_agent' });
    await seller.say(t('escalation:callback_choice_yes'));
    const out = await seller.say('诚信通到期没续费，速卖通店铺会被关吗');
    expect(out.text).toContain(t('answers:faq.cxt_expiry'));
    expect(out.events).toHaveLength(0);
    expect(out.messages.at(-1)?.text).toBe(t('escalation:ask_name'));
    await seller.say('李女士');
    const saved = await seller.say('13800138000');
    expect(saved.events[0]).toMatchObject({ name: 'handoff.callback', value: { name: '李女士', phone: '13800138000' } });
  });
});
