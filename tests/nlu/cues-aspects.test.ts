import { describe, expect, it } from 'vitest';
import { createCueReader } from '../../src/nlu/create-cue-reader.js';
import type { AspectId } from '../../src/nlu/cues.js';
import { ROOT_DIR } from './nlu-test-root.js';

const reader = createCueReader(ROOT_DIR);

/** [text, locale, expected aspects, main one first]. */
const cases: ReadonlyArray<readonly [string, string, readonly AspectId[]]> = [
  // zh-CN
  ['关店审核大概几天能好', 'zh-CN', ['duration']],
  ['诚信通停掉要几个工作日', 'zh-CN', ['duration']],
  ['速卖通关店一般要多久', 'zh-CN', ['duration']],
  ['那要多长时间', 'zh-CN', ['duration']],
  ['审核多快能过', 'zh-CN', ['duration']],
  ['资质变更啥时候能生效', 'zh-CN', ['duration']],
  ['关店入口在哪', 'zh-CN', ['where']],
  ['后台哪里点关店', 'zh-CN', ['where']],
  ['终止诚信通的路径是什么', 'zh-CN', ['where']],
  ['在哪个菜单改资质', 'zh-CN', ['where']],
  ['注销要什么材料', 'zh-CN', ['documents']],
  ['需要哪些资料', 'zh-CN', ['documents']],
  ['要上传什么证明', 'zh-CN', ['documents']],
  ['依据是第几条', 'zh-CN', ['rule']],
  ['这是哪条规定', 'zh-CN', ['rule']],
  ['诚信通协议哪个条款说的', 'zh-CN', ['rule']],
  ['谁审核关店申请', 'zh-CN', ['who']],
  ['这事找谁', 'zh-CN', ['who']],
  ['哪个部门处理注销', 'zh-CN', ['who']],
  ['关店的前提是什么', 'zh-CN', ['prerequisites']],
  ['需要满足什么条件才能关', 'zh-CN', ['prerequisites']],
  ['是不是要先清库存', 'zh-CN', ['prerequisites']],
  ['关店会影响诚信通吗', 'zh-CN', ['effects']],
  ['诚信通到期速卖通还能卖吗', 'zh-CN', ['effects']],
  ['关了有什么后果', 'zh-CN', ['effects']],
  ['关店申请通过率多少', 'zh-CN', ['statistics']],
  ['有多少卖家超过三个店', 'zh-CN', ['statistics']],
  ['成功率高吗', 'zh-CN', ['statistics']],
  ['一个执照开多个店有什么风险', 'zh-CN', ['risks']],
  ['要注意什么', 'zh-CN', ['risks']],
  ['会不会被封号', 'zh-CN', ['risks']],
  ['关店要多少钱', 'zh-CN', ['cost']],
  ['有没有手续费', 'zh-CN', ['cost']],
  ['保证金多少', 'zh-CN', ['cost']],
  ['保证金多久退', 'zh-CN', ['duration']],
  ['审核要多久，在哪里看进度', 'zh-CN', ['duration', 'where']],
  ['速卖通店怎么关', 'zh-CN', []],
  ['诚信通和速卖通是什么关系', 'zh-CN', []],
  ['注销证明要交给哪个团队', 'zh-CN', ['who']],
  ['开店误用了诚信通公司的资料，现在要换', 'zh-CN', []],
  ['资质复用会不会被风控', 'zh-CN', ['risks']],
  ['关店会不会很久', 'zh-CN', ['duration']],
  ['你好', 'zh-CN', []],
  ['关店要多旧', 'zh-CN', ['duration']],
  // zh-TW
  ['關店審核大概幾天能好', 'zh-TW', ['duration']],
  ['要多久才會審核完', 'zh-TW', ['duration']],
  ['關店入口在哪裡', 'zh-TW', ['where']],
  ['註銷需要什麼資料', 'zh-TW', ['documents']],
  ['依據是哪一條規定', 'zh-TW', ['rule']],
  ['誰負責審核', 'zh-TW', ['who']],
  ['關店前提條件是什麼', 'zh-TW', ['prerequisites']],
  ['關店會影響誠信通嗎', 'zh-TW', ['effects']],
  ['通過率多少', 'zh-TW', ['statistics']],
  ['有什麼風險', 'zh-TW', ['risks']],
  ['要收費嗎', 'zh-TW', ['cost']],
  ['速賣通店怎麼關', 'zh-TW', []],
  // en
  ['How long does the store closure review take?', 'en', ['duration']],
  ['how many days to cancel trustpass', 'en', ['duration']],
  ['when will my CXT be terminated', 'en', ['duration']],
  ['Where do I click to close the store?', 'en', ['where']],
  ['which menu has the qualification settings', 'en', ['where']],
  ['which documents prove deregistration?', 'en', ['documents']],
  ['what do I need to upload', 'en', ['documents']],
  ['any paperwork needed?', 'en', ['documents']],
  ['which clause says that', 'en', ['rule']],
  ['what rule is this based on', 'en', ['rule']],
  ['who reviews the application', 'en', ['who']],
  ['which team handles deregistration', 'en', ['who']],
  ['what do I have to do before I close the store', 'en', ['prerequisites']],
  ['does closing the store affect my CXT', 'en', ['effects']],
  ['what are the consequences of closing', 'en', ['effects']],
  ['what percent of closures are approved', 'en', ['statistics']],
  ['what is the approval rate', 'en', ['statistics']],
  ['is there any risk', 'en', ['risks']],
  ['will I get banned', 'en', ['risks']],
  ['is there a fee', 'en', ['cost']],
  ['how much does it cost', 'en', ['cost']],
  ['how do I close my AliExpress store', 'en', []],
  ['hello', 'en', []],
  // mixed language and typos
  ['关店要how long', 'zh-CN', ['duration']],
  ['CXT终止 where to click', 'zh-CN', ['where']],
  ['ＨＯＷ　ＬＯＮＧ要多久', 'zh-CN', ['duration']],
];

describe('CueReader: aspects', () => {
  it.each(cases)('%s (%s) -> %j', (text, locale, expected) => {
    expect(reader.read(text, locale).aspects).toEqual(expected);
  });
});
