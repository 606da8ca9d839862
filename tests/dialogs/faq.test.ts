import { describe, expect, it } from 'vitest';
import { SellerSimulator } from '../fixtures/seller-simulator.js';

/** A question per answer, in each locale, and the article's facts the answer must carry. */
const cases = [
  { zh: '诚信通能一键解绑速卖通吗', en: 'can I one-click unbind?', answer: 'faq.one_click_unbind', facts: { 'zh-CN': ['不能', '必须分步执行'], en: ['No.', 'step by step'] } },
  { zh: '速卖通关店后，诚信通的旺铺还在吗', en: 'Will closing AliExpress hurt my 1688 credit level?', answer: 'faq.close_store_effect', facts: { 'zh-CN': ['89.2%', 'N=863'], en: ['89.2%', 'N=863'] } },
  { zh: '个人开的速卖通店和诚信通有关吗', en: 'My store is registered as an individual, is Chengxintong involved?', answer: 'faq.personal_store', facts: { 'zh-CN': ['营业执照＋法人身份＋对公账户'], en: ['business license + legal representative'] } },
  { zh: '当初用错了诚信通的公司信息开店，现在要换主体', en: 'I used the CXT company data by mistake, how do I switch the entity?', answer: 'faq.wrong_entity', facts: { 'zh-CN': ['【资质管理】', '【店铺设置】', '通常5个工作日', '不可迁移'], en: ['usually 5 working days', 'cannot be migrated'] } },
  { zh: '诚信通没有续费，速卖通会关店吗', en: 'My 1688 membership lapsed. Is my AliExpress shop at risk?', answer: 'faq.cxt_expiry', facts: { 'zh-CN': ['不会', '各平台资质独立审核、独立存续'], en: ['**No.**'] } },
  { zh: '诚信通与速卖通是不是一套账户', en: 'Is 1688 connected to AliExpress behind the scenes?', answer: 'core.relationship', facts: { 'zh-CN': ['第3.2.1条', '2024年6月15日'], en: ['article 3.2.1', '15 June 2024'] } },
  { zh: '一个法人可以关联多少个阿里账号', en: 'What compliance advice do you have for sellers?', answer: 'risk.compliance', facts: { 'zh-CN': ['超过3家店铺', '超过5个阿里系账号', '31.6%', '72%', '48小时'], en: ['more than 3 stores', 'more than 5 Alibaba accounts', '31.6%', '72%', '48 hours'] } },
] as const;

describe('FAQ, core logic and risk answers', () => {
  for (const locale of ['zh-CN', 'en'] as const) {
    it.each(cases)(`${locale}: $answer`, async (row) => {
      const seller = new SellerSimulator({ locale });
      const t = seller.t(locale);
      const out = await seller.say(locale === 'en' ? row.en : row.zh);
      const parts = row.answer.split('.');
      expect(out.text).toContain(t(`answers:${parts[0]}.${parts[1]}`));
      for (const fact of row.facts[locale]) expect(out.text).toContain(fact);
      // The source note travels inside the answer, never as a bubble between a question and its buttons.
      expect(out.text).toContain(t('sources:note'));
      expect(out.messages.some((m) => m.text === t('sources:note'))).toBe(false);
      expect(out.buttons.length).toBeGreaterThan(0);
    });
  }

  it('the one-click answer offers the three scenarios as follow-ups', async () => {
    const seller = new SellerSimulator();
    const t = seller.t('zh-CN');
    const out = await seller.say('诚信通能一键解绑速卖通吗');
    expect(out.buttons).toEqual([
      t('topics:scenario.close_store'),
      t('topics:scenario.change_entity'),
      t('topics:scenario.deregister'),
      t('topics:core.relationship'),
    ]);
  });

  it('understands Traditional Chinese and answers in Chinese', async () => {
    const seller = new SellerSimulator();
    const out = await seller.say('誠信通能一鍵解綁速賣通嗎');
    expect(out.text).toContain(seller.t('zh-CN')('answers:faq.one_click_unbind'));
  });

  it('answers an English question in English even in a Chinese widget', async () => {
    const seller = new SellerSimulator({ locale: 'zh-CN' });
    const out = await seller.say('can I unbind CXT from AliExpress with one click?');
    expect(out.text).toContain(seller.t('en')('answers:faq.one_click_unbind'));
  });

  it('records each recognition as a trace for the transcript, not as a message', async () => {
    const seller = new SellerSimulator();
    const out = await seller.say('诚信通能一键解绑速卖通吗');
    expect(out.traces[0]?.name).toBe('nlu.recognition');
    expect(out.traces[0]?.value).toMatchObject({ intent: 'faq.one_click_unbind' });
  });
});
