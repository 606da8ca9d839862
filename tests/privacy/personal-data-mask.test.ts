import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findPersonalData, maskPersonalData } from '../../src/privacy/personal-data-mask.js';

describe('maskPersonalData: true positives', () => {
  it.each([
    ['mobile', '我的手机13812345678，麻烦回电', '我的手机138****5678，麻烦回电'],
    ['mobile with +86 and spaces', 'call me on +86 139 1234 5678 please', 'call me on +86 139 **** 5678 please'],
    ['mobile with dashes', '电话：186-1234-5678', '电话：186-****-5678'],
    ['landline with area code', '座机010-87654321', '座机***-****4321'],
    ['landline in brackets', '座机（0755）12345678', '座机（****）****5678'],
    ['landline without separator', '打02112345678找我', '打*******5678找我'],
    ['ID number', '身份证110101199003074512', '身份证**************4512'],
    ['ID number ending in X', '身份证号 44030419851231002X 法人', '身份证号 **************002X 法人'],
    ['ID number, lower-case x', 'id 44030419851231002x.', 'id **************002x.'],
    ['unified social credit code', '营业执照代码91440300MA5FXXXX1Q已注销', '营业执照代码**************XX1Q已注销'],
    ['credit code, lower case', 'uscc 91310115mA1k3abc1x', 'uscc **************bc1x'],
    ['bank card, whole', '卡号6222021234567890123退款', '卡号***************0123退款'],
    ['bank card, grouped', 'card 6222 0212 3456 7890', 'card **** **** **** 7890'],
    ['e-mail', '邮箱 zhang.san@example.com.cn 联系', '邮箱 z***@example.com.cn 联系'],
    ['several at once', 'a@b.co / 13912345678 / 0571-88886666', 'a***@b.co / 139****5678 / ****-****6666'],
  ])('%s', (_name, input, expected) => {
    expect(maskPersonalData(input)).toBe(expected);
  });

  it('names what it found', () => {
    expect(findPersonalData('13812345678 和 110101199003074512 和 x@y.cn')).toEqual(['email', 'idCard', 'mobile']);
    expect(findPersonalData('诚信通能解绑吗')).toEqual([]);
  });
});

describe('maskPersonalData: leaves the article and ordinary text alone', () => {
  it.each([
    '98.7% 的卖家不需要解绑',
    '72 小时内处理',
    '保证金 37 天后退回',
    '审核需要 5–7 个工作日，也可能 3 天',
    '评分 8.3，规则 3.2.1 条',
    '调研样本 N=1,247',
    '2026-11-26 09:00-18:00 办理',
    '2024年3月15日注销',
    '订单号 12345',
    'AliExpress 1688 CXT 速卖通',
    '营业时间 1-5 09:00-18:00',
    '金额 1,234,567.89 元',
    'version 4.23.3',
    '时间戳 1764578792000',
    'an @ sign alone, and user@localhost',
  ])('%s', (text) => {
    expect(maskPersonalData(text)).toBe(text);
  });
});

const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
const mobile = fc
  .tuple(fc.constantFrom('13', '14', '15', '16', '17', '18', '19'), digits(9))
  .map(([prefix, rest]) => prefix + rest);
// Text around the number: Chinese characters and punctuation only, never a digit.
const chineseText = fc.array(fc.constantFrom('诚', '信', '通', '解', '绑', '，', '我', '的', '电', '话', ' ', '。'), { maxLength: 12 }).map((c) => c.join(''));

describe('maskPersonalData: properties', () => {
  it('no mobile number survives, whatever Chinese text surrounds it', () => {
    fc.assert(
      fc.property(chineseText, mobile, chineseText, (before, number, after) => {
        const masked = maskPersonalData(before + number + after);
        expect(masked).not.toContain(number);
        expect(masked).toBe(`${before}${number.slice(0, 3)}****${number.slice(7)}${after}`);
      }),
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789 -@.abcXx诚信通'), maxLength: 40 }), (text) => {
        const once = maskPersonalData(text);
        expect(maskPersonalData(once)).toBe(once);
      }),
    );
  });

  it('changes nothing in text without an @ and without a run of seven digits', () => {
    const safe = fc
      .string({ unit: fc.constantFrom(...'0123456789 .,%-–年月日诚信通ABC'), maxLength: 60 })
      .filter((text) => !/\d{7}/.test(text.replace(/[ -]/g, '')));
    fc.assert(
      fc.property(safe, (text) => {
        expect(maskPersonalData(text)).toBe(text);
      }),
    );
  });
});
