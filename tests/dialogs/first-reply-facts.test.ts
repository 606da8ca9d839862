import { describe, expect, it } from 'vitest';
import { SellerSimulator } from '../fixtures/seller-simulator.js';

/**
 * Every fact of the article, asked directly, is in the bot's FIRST reply (not two or three taps into a flow).
 * `must` lists what the reply shows; `mustNot` what it must not (a figure that belongs to something else).
 */
interface FactCase {
  readonly fact: string;
  readonly ask: string;
  readonly must: readonly string[];
  readonly mustNot?: readonly string[];
}

const zh: readonly FactCase[] = [
  { fact: 'close-store review time', ask: '关店审核大概几天能好', must: ['98.7%', '72小时', '37小时'] },
  { fact: 'close-store path', ask: '速卖通关店在后台哪里点', must: ['【账户设置】', '【店铺管理】', '【关闭店铺】'] },
  { fact: 'close-store prerequisites', ask: '关店之前要先满足什么条件', must: ['库存清零', '订单履约', '保证金退还'] },
  { fact: 'change-entity menu', ask: '换主体的新执照在后台哪里提交', must: ['【资质管理】'] },
  { fact: 'change-entity documents', ask: '工商变更后更新速卖通主体要准备什么材料', must: ['新营业执照', '变更通知书'] },
  { fact: 'change-entity duration', ask: '工商变更后速卖通资质更新要几天', must: ['5–7个工作日'] },
  { fact: '48 h sync', ask: '工商信息变更以后多久之内要同步更新速卖通资质', must: ['48小时'] },
  { fact: 'deregistration documents', ask: '公司注销了，速卖通强制关店需要什么材料', must: ['《企业注销证明》', '《准予注销登记通知书》', '原件扫描件'] },
  { fact: 'seller protection team', ask: '公司注销后速卖通强制关店找谁办', must: ['卖家保障团队'] },
  { fact: 'CXT termination path', ask: '公司注销了，诚信通在哪里终止服务', must: ['【我的阿里】', '【服务管理】', '【终止服务】'] },
  { fact: 'CXT termination time', ask: '诚信通停掉要几个工作日', must: ['3个工作日'] },
  { fact: 'clause 8.3', ask: '诚信通终止服务是依据哪一条规定', must: ['第8.3条'] },
  { fact: 'clause 3.2.1', ask: '诚信通资料用于速卖通入驻是依据哪条规则', must: ['第3.2.1条'] },
  { fact: 'review thresholds', ask: '同一个营业执照开几家店会触发二级审核', must: ['3家店铺', '5个阿里系账号'] },
  { fact: 'rejection figures', ask: '资质复用不当的驳回率有多少', must: ['31.6%', '72%'] },
  { fact: 'compliance advice', ask: '资质合规上有什么风险要注意', must: ['独立银行账户', '每季度'] },
  { fact: 'CXT renewal rate', ask: '关了速卖通店以后诚信通续费率有多少', must: ['89.2%'] },
  { fact: 'personal-Alipay route', ask: '个人支付宝开速卖通店需要什么条件', must: ['部分类目'] },
  { fact: 'history stays', ask: '换了主体以后旧店铺的历史订单和评价会怎样', must: ['不可迁移'] },
  { fact: 'wrong-entity review time', ask: '误用了诚信通企业信息，换主体审核要多久', must: ['5个工作日'] },
  { fact: 'CXT expiry', ask: '诚信通到期没续费，速卖通店会被关吗', must: ['不会'] },
  { fact: 'no one-click unbind', ask: '诚信通能一键解绑速卖通吗', must: ['不能'] },
  { fact: 'no system binding', ask: '诚信通和速卖通是系统绑定的吗', must: ['不存在后台自动关联或强制同步机制'] },
];

const en: readonly FactCase[] = [
  { fact: 'close-store review time', ask: 'How long does the AliExpress store closing review take?', must: ['98.7%', '72 hours', '37 hours'] },
  { fact: 'close-store path', ask: 'Where in the back office do I close my AliExpress store?', must: ['【关闭店铺】', 'Close Store'] },
  { fact: 'change-entity menu', ask: 'Where do I submit the new business license to change the store entity?', must: ['Qualification Management'] },
  { fact: 'change-entity documents', ask: 'Which documents do I need to change my AliExpress store entity?', must: ['new business license', 'change notice'] },
  { fact: 'change-entity duration', ask: 'How long does the credential update take after a business registration change?', must: ['5–7 working days'] },
  { fact: 'deregistration documents', ask: 'Which documents prove deregistration for the AliExpress forced closure?', must: ['《企业注销证明》', '《准予注销登记通知书》'] },
  { fact: 'seller protection team', ask: 'Who handles the AliExpress forced closure after the company is deregistered?', must: ['seller protection team'] },
  { fact: 'CXT termination path', ask: 'Where do I terminate CXT after deregistering my company?', must: ['【终止服务】'] },
  { fact: 'CXT termination time', ask: 'How many working days does CXT termination take?', must: ['3 working days'] },
  { fact: 'clause 3.2.1', ask: 'Which rule lets me reuse my company credentials for AliExpress?', must: ['3.2.1'] },
  { fact: 'review thresholds', ask: 'What triggers the second-level review for credentials?', must: ['more than 3 stores', 'more than 5 Alibaba accounts'] },
  { fact: 'rejection figures', ask: 'What is the rejection rate caused by improper credential reuse?', must: ['31.6%', '72%'] },
  { fact: 'CXT renewal rate', ask: 'What share of sellers still renew CXT after closing their AliExpress store?', must: ['89.2%'] },
  { fact: 'history stays', ask: 'After switching the entity, do my old orders and reviews move over?', must: ['cannot be migrated'] },
  { fact: 'CXT expiry', ask: 'If my CXT expires, will my AliExpress store be shut down?', must: ['No'] },
];

/** Where the article is silent: say so, offer a consultant, and never borrow another figure. */
const silent: readonly (FactCase & { readonly locale: 'zh-CN' | 'en' })[] = [
  { locale: 'zh-CN', fact: 'deposit refund time', ask: '关店以后保证金多久能退', must: ['没有给出'], mustNot: ['72小时', '37小时'] },
  { locale: 'zh-CN', fact: 'forced closure time', ask: '企业注销后速卖通强制关店要多久', must: ['没有给出'], mustNot: ['72小时', '37小时'] },
  { locale: 'zh-CN', fact: 'closing fee', ask: '速卖通关店要收费吗，多少钱', must: ['没有给出'] },
  { locale: 'en', fact: 'deposit refund time', ask: 'How long until I get my AliExpress deposit back after closing?', must: ['does not give'], mustNot: ['72 hours'] },
];

describe('the first reply answers the asked fact', () => {
  for (const [locale, cases] of [['zh-CN', zh], ['en', en]] as const) {
    it.each(cases)(`${locale}: $fact`, async (row) => {
      const seller = new SellerSimulator({ locale });
      const out = await seller.say(row.ask);
      for (const expected of row.must) expect(out.text).toContain(expected);
    });
  }

  it.each(silent)('$locale: silent on $fact, offers a consultant', async (row) => {
    const seller = new SellerSimulator({ locale: row.locale });
    const t = seller.t(row.locale);
    const out = await seller.say(row.ask);
    for (const expected of row.must) expect(out.text).toContain(expected);
    for (const absent of row.mustNot ?? []) expect(out.text).not.toContain(absent);
    expect(out.messages.flatMap((m) => m.buttons)).toContain(t('topics:handoff.human'));
  });

  it('a scenario fact ends with one offer to guide step by step, its buttons right under it', async () => {
    const seller = new SellerSimulator();
    const t = seller.t('zh-CN');
    const out = await seller.say('关店审核大概几天能好');
    expect(out.messages.at(-1)?.text).toBe(t('facts:guide_offer'));
    expect(out.buttons[0]).toBe(t('facts:guide_yes'));
    expect(out.messages.slice(0, -1).every((m) => m.buttons.length === 0)).toBe(true);
    const flow = await seller.say('好的');
    expect(flow.text).toContain('【关闭店铺】');
    expect(flow.messages.at(-1)?.text).toBe(t('scenario:close_store.inventory'));
  });
});
