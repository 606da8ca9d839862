import { describe, expect, it } from 'vitest';
import { createCueReader } from '../../src/nlu/create-cue-reader.js';
import { ROOT_DIR } from './nlu-test-root.js';

const reader = createCueReader(ROOT_DIR);

/** [text, locale, reading as an answer to a yes/no question]. */
const replyCases: ReadonlyArray<readonly [string, string, 'yes' | 'no' | null]> = [
  // zh-CN yes
  ['是', 'zh-CN', 'yes'],
  ['是的', 'zh-CN', 'yes'],
  ['对', 'zh-CN', 'yes'],
  ['对的', 'zh-CN', 'yes'],
  ['嗯', 'zh-CN', 'yes'],
  ['嗯嗯', 'zh-CN', 'yes'],
  ['好了', 'zh-CN', 'yes'],
  ['已经清零了', 'zh-CN', 'yes'],
  ['弄好了', 'zh-CN', 'yes'],
  ['完成了', 'zh-CN', 'yes'],
  ['没问题', 'zh-CN', 'yes'],
  ['交过了', 'zh-CN', 'yes'],
  ['订单都发完了', 'zh-CN', 'yes'],
  ['是的，公司已经注销了', 'zh-CN', 'yes'],
  // zh-CN no
  ['还没', 'zh-CN', 'no'],
  ['没有', 'zh-CN', 'no'],
  ['没', 'zh-CN', 'no'],
  ['没交过', 'zh-CN', 'no'],
  ['不是', 'zh-CN', 'no'],
  ['还没有呢', 'zh-CN', 'no'],
  ['订单还没发完', 'zh-CN', 'no'],
  ['还有一些库存', 'zh-CN', 'no'],
  ['没有，还有几单', 'zh-CN', 'no'],
  // a question or no answer at all
  ['保证金多久退？', 'zh-CN', null],
  ['保证金多久退', 'zh-CN', null],
  ['库存要清零吗', 'zh-CN', null],
  ['什么意思', 'zh-CN', null],
  ['不知道', 'zh-CN', null],
  ['不太清楚', 'zh-CN', null],
  ['速卖通店怎么关', 'zh-CN', null],
  ['转人工', 'zh-CN', null],
  ['谢谢了', 'zh-CN', null],
  ['诚信通和速卖通可以一键解绑不', 'zh-CN', null],
  ['关店后诚信通的信用还在不在', 'zh-CN', null],
  ['速卖通关了以后诚信通还能正常用吧', 'zh-CN', null],
  ['好吧', 'zh-CN', 'yes'],
  ['我没有', 'zh-CN', 'no'],
  ['关掉了', 'zh-CN', 'yes'],
  // zh-TW
  ['是的', 'zh-TW', 'yes'],
  ['對', 'zh-TW', 'yes'],
  ['已經清零了', 'zh-TW', 'yes'],
  ['還沒', 'zh-TW', 'no'],
  ['沒有', 'zh-TW', 'no'],
  ['沒交過', 'zh-TW', 'no'],
  ['保證金多久退？', 'zh-TW', null],
  // en
  ['yes', 'en', 'yes'],
  ['Yes!', 'en', 'yes'],
  ['yep', 'en', 'yes'],
  ['yeah done', 'en', 'yes'],
  ['done', 'en', 'yes'],
  ['already', 'en', 'yes'],
  ['I already did', 'en', 'yes'],
  ['all orders are shipped', 'en', 'yes'],
  ['no', 'en', 'no'],
  ['nope', 'en', 'no'],
  ['not yet', 'en', 'no'],
  ["No, I haven't", 'en', 'no'],
  ["I haven't paid any deposit", 'en', 'no'],
  ['how long does the refund take?', 'en', null],
  ['what do you mean', 'en', null],
  ['not sure', 'en', null],
  ['I want to speak to a real human', 'en', null],
  ['Human agent', 'en', null],
  // full width, mixed
  ['ＹＥＳ', 'en', 'yes'],
  ['ok 已经清空了', 'zh-CN', 'yes'],
];

/** [text, locale, upset]. */
const upsetCases: ReadonlyArray<readonly [string, string, boolean]> = [
  ['这机器人没用', 'zh-CN', true],
  ['我要投诉', 'zh-CN', true],
  ['垃圾客服', 'zh-CN', true],
  ['答非所问，浪费时间', 'zh-CN', true],
  ['什么破系统', 'zh-CN', true],
  ['這機器人沒用', 'zh-TW', true],
  ['我要投訴你們', 'zh-TW', true],
  ['This bot is useless, I want to complain', 'en', true],
  ['terrible service', 'en', true],
  ['this is ridiculous', 'en', true],
  ['I am so frustrated', 'en', true],
  // not upset: the same words about something else, or a plain question
  ['被买家投诉会影响关店吗', 'zh-CN', false],
  ['诚信通没用了，可以停掉吗', 'zh-CN', false],
  ['速卖通店怎么关', 'zh-CN', false],
  ['谢谢', 'zh-CN', false],
  ['a buyer complained about my store', 'en', false],
  ['how do I close my store', 'en', false],
];

describe('CueReader: reply to a yes/no question', () => {
  it.each(replyCases)('%s (%s) -> %s', (text, locale, expected) => {
    expect(reader.read(text, locale).reply).toBe(expected);
  });

  it('an upset message is no answer, even when it contains a negator', () => {
    expect(reader.read('这机器人没用', 'zh-CN')).toMatchObject({ upset: true, reply: null });
  });
});

describe('CueReader: upset', () => {
  it.each(upsetCases)('%s (%s) -> %s', (text, locale, expected) => {
    expect(reader.read(text, locale).upset).toBe(expected);
  });
});
