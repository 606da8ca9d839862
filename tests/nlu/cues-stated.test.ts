import { describe, expect, it } from 'vitest';
import { createCueReader } from '../../src/nlu/create-cue-reader.js';
import type { ChangeKind, StatedFact } from '../../src/nlu/cues.js';
import { ROOT_DIR } from './nlu-test-root.js';

const reader = createCueReader(ROOT_DIR);

/** [text, locale, facts stated in order of mention]. */
const statedCases: ReadonlyArray<readonly [string, string, readonly StatedFact[]]> = [
  // zh-CN: done
  ['公司注销好了，诚信通怎么停', 'zh-CN', [{ fact: 'company_deregistered', value: true }]],
  ['我们公司已经注销了', 'zh-CN', [{ fact: 'company_deregistered', value: true }]],
  ['营业执照被吊销了怎么办', 'zh-CN', [{ fact: 'company_deregistered', value: true }]],
  ['库存已经清零了', 'zh-CN', [{ fact: 'inventory_cleared', value: true }]],
  ['已经清空库存了', 'zh-CN', [{ fact: 'inventory_cleared', value: true }]],
  ['没有库存了', 'zh-CN', [{ fact: 'inventory_cleared', value: true }]],
  ['订单都发完了', 'zh-CN', [{ fact: 'orders_fulfilled', value: true }]],
  ['交过保证金了', 'zh-CN', [{ fact: 'deposit_paid', value: true }]],
  ['店铺已经关了', 'zh-CN', [{ fact: 'store_closed', value: true }]],
  ['诚信通已经终止了', 'zh-CN', [{ fact: 'cxt_terminated', value: true }]],
  ['诚信通已经到期了', 'zh-CN', [{ fact: 'cxt_expired', value: true }]],
  ['诚信通到期没续费，速卖通会关吗', 'zh-CN', [{ fact: 'cxt_expired', value: true }]],
  ['我是个人支付宝开的店', 'zh-CN', [{ fact: 'personal_store', value: true }]],
  ['法人换了', 'zh-CN', [{ fact: 'registration_changed', value: true }]],
  ['公司改名了', 'zh-CN', [{ fact: 'registration_changed', value: true }]],
  // zh-CN: negation flips the value
  ['订单还没发完', 'zh-CN', [{ fact: 'orders_fulfilled', value: false }]],
  ['还有两单没发', 'zh-CN', [{ fact: 'orders_fulfilled', value: false }]],
  ['没交过保证金', 'zh-CN', [{ fact: 'deposit_paid', value: false }]],
  ['库存还没清零', 'zh-CN', [{ fact: 'inventory_cleared', value: false }]],
  ['还有一些库存', 'zh-CN', [{ fact: 'inventory_cleared', value: false }]],
  ['公司还没注销', 'zh-CN', [{ fact: 'company_deregistered', value: false }]],
  ['诚信通还没到期', 'zh-CN', [{ fact: 'cxt_expired', value: false }]],
  ['店铺还没关', 'zh-CN', [{ fact: 'store_closed', value: false }]],
  ['法人没换', 'zh-CN', [{ fact: 'registration_changed', value: false }]],
  ['不是个人店，是企业店', 'zh-CN', [{ fact: 'personal_store', value: false }]],
  // several facts, in order of mention
  ['库存清空了，订单还有几单没发完', 'zh-CN', [{ fact: 'inventory_cleared', value: true }, { fact: 'orders_fulfilled', value: false }]],
  ['公司换法人了，速卖通那边要改什么', 'zh-CN', [{ fact: 'registration_changed', value: true }]],
  ['我们的注册地址迁了', 'zh-CN', [{ fact: 'registration_changed', value: true }]],
  // a question or a plan states nothing
  ['公司要注销了，速卖通怎么办', 'zh-CN', []],
  ['诚信通和速卖通有没有关系', 'zh-CN', []],
  ['诚信通和速卖通有没有绑定关系', 'zh-CN', []],
  // another platform's store is not the seller's AliExpress store
  ['淘宝店铺关了，对1688有影响吗', 'zh-CN', []],
  ['公司注销后诚信通怎么办', 'zh-CN', []],
  ['关店前要先清库存吗', 'zh-CN', []],
  ['如果公司注销了会怎样', 'zh-CN', []],
  ['我想关店了', 'zh-CN', []],
  ['诚信通到期会关店吗', 'zh-CN', []],
  ['保证金多久退', 'zh-CN', []],
  ['速卖通店怎么关', 'zh-CN', []],
  // zh-TW
  ['公司已經註銷了', 'zh-TW', [{ fact: 'company_deregistered', value: true }]],
  ['庫存已經清零了', 'zh-TW', [{ fact: 'inventory_cleared', value: true }]],
  ['訂單還沒發完', 'zh-TW', [{ fact: 'orders_fulfilled', value: false }]],
  ['沒交過保證金', 'zh-TW', [{ fact: 'deposit_paid', value: false }]],
  ['誠信通已經過期了', 'zh-TW', [{ fact: 'cxt_expired', value: true }]],
  ['我是用個人支付寶開的', 'zh-TW', [{ fact: 'personal_store', value: true }]],
  ['負責人換了', 'zh-TW', [{ fact: 'registration_changed', value: true }]],
  // en
  ['My company has been deregistered, how do I stop CXT?', 'en', [{ fact: 'company_deregistered', value: true }]],
  ['we dissolved the company last month', 'en', [{ fact: 'company_deregistered', value: true }]],
  ['the company is not deregistered yet', 'en', [{ fact: 'company_deregistered', value: false }]],
  ['inventory is cleared', 'en', [{ fact: 'inventory_cleared', value: true }]],
  ["I haven't cleared the stock", 'en', [{ fact: 'inventory_cleared', value: false }]],
  ['I still have some stock', 'en', [{ fact: 'inventory_cleared', value: false }]],
  ['all orders are shipped', 'en', [{ fact: 'orders_fulfilled', value: true }]],
  ['orders are not fulfilled yet', 'en', [{ fact: 'orders_fulfilled', value: false }]],
  ['I never paid a deposit', 'en', [{ fact: 'deposit_paid', value: false }]],
  ['I paid the deposit', 'en', [{ fact: 'deposit_paid', value: true }]],
  ['my store is closed already', 'en', [{ fact: 'store_closed', value: true }]],
  ['I cancelled my TrustPass', 'en', [{ fact: 'cxt_terminated', value: true }]],
  ['my 1688 membership expired', 'en', [{ fact: 'cxt_expired', value: true }]],
  ['my store was opened with a personal Alipay account', 'en', [{ fact: 'personal_store', value: true }]],
  ['the legal representative has changed', 'en', [{ fact: 'registration_changed', value: true }]],
  ['Our company changed its name, how do I update AliExpress?', 'en', [{ fact: 'registration_changed', value: true }]],
  ['The legal representative of our company changed', 'en', [{ fact: 'registration_changed', value: true }]],
  ['if my company is deregistered what happens', 'en', []],
  ['how do I close my store', 'en', []],
];

/** [text, locale, change kind]. */
const changeCases: ReadonlyArray<readonly [string, string, ChangeKind | null]> = [
  ['法人换了', 'zh-CN', 'legal_rep'],
  ['法人变更需要什么材料', 'zh-CN', 'legal_rep'],
  ['换了新法人，诚信通怎么办', 'zh-CN', 'legal_rep'],
  ['公司改名了', 'zh-CN', 'name'],
  ['公司名称变更', 'zh-CN', 'name'],
  ['注册地址变了', 'zh-CN', 'address'],
  ['公司搬家了，地址要改吗', 'zh-CN', 'address'],
  ['法人和地址都换了', 'zh-CN', 'several'],
  ['执照上好几项都变了', 'zh-CN', 'several'],
  ['法人是谁', 'zh-CN', null],
  ['速卖通店怎么关', 'zh-CN', null],
  ['負責人變更了', 'zh-TW', 'legal_rep'],
  ['公司名稱改了', 'zh-TW', 'name'],
  ['the legal representative changed', 'en', 'legal_rep'],
  ['we have a new legal rep', 'en', 'legal_rep'],
  ['we renamed the company', 'en', 'name'],
  ['the registered address was updated', 'en', 'address'],
  ['we changed the name and the address', 'en', 'several'],
  ['what is my company name', 'en', null],
  ["what's the name of the new legal rep", 'en', 'legal_rep'],
  ['We have a new registered address', 'en', 'address'],
];

describe('CueReader: stated facts', () => {
  it.each(statedCases)('%s (%s) -> %j', (text, locale, expected) => {
    expect(reader.read(text, locale).stated).toEqual(expected);
  });
});

describe('CueReader: change kind', () => {
  it.each(changeCases)('%s (%s) -> %s', (text, locale, expected) => {
    expect(reader.read(text, locale).changeKind).toBe(expected);
  });
});
