import { describe, expect, it } from 'vitest';
import { stemEnglish } from '../../src/nlu/english-stemmer.js';
import { FeatureExtractor } from '../../src/nlu/feature-extractor.js';
import { nluPaths, readJsonDataFile } from '../../src/nlu/load-intent-matcher.js';
import { charMapSchema, lexiconSchema } from '../../src/nlu/nlu-data.schema.js';
import { TextNormalizer } from '../../src/nlu/text-normalizer.js';
import { ROOT_DIR } from './nlu-test-root.js';

const lexicon = readJsonDataFile(nluPaths.lexicon(ROOT_DIR), lexiconSchema);
const normalizer = new TextNormalizer(lexicon, readJsonDataFile(nluPaths.charMap(ROOT_DIR), charMapSchema));
const extractor = new FeatureExtractor(lexicon);
const n = (text: string) => normalizer.normalize(text);

describe('TextNormalizer', () => {
  it('maps full-width letters, digits and punctuation to half-width and lower case', () => {
    expect(n('ＡｌｉＥｘｐｒｅｓｓ　１６８８！')).toBe('AE CXT');
    expect(n('HELLO World')).toBe('hello world');
  });

  it('maps Traditional to Simplified characters', () => {
    expect(n('誠信通帳號註銷後臺')).toBe(n('诚信通账号注销后台'));
    expect(n('關閉店鋪')).toBe('关闭店铺');
    expect(n('怎麼')).toBe('怎么');
  });

  it('leaves Simplified text untouched by the regional-variant tables', () => {
    expect(n('怎么关店，为什么')).toBe('怎么关店 为什么');
  });

  it('rewrites every CXT spelling to one token', () => {
    for (const alias of ['诚信通', '诚心通', '誠信通', '1688', 'CXT', 'cxt', 'TrustPass', 'trust pass', 'Chengxintong', 'cheng xin tong', '1688诚信通']) {
      expect(n(`${alias}到期`), alias).toBe('CXT 到期');
    }
  });

  it('rewrites every AliExpress spelling to one token', () => {
    for (const alias of ['速卖通', '速买通', '速賣通', 'AliExpress', 'aliexpress', 'Ali Express', 'AE', 'ae', '速卖通店铺']) {
      expect(n(`关闭${alias}`), alias).toBe('关闭 AE');
    }
  });

  it('does not treat letters inside words as aliases', () => {
    expect(n('maegan')).toBe('maegan');
    expect(n('aerial cxts')).toBe('aerial cxts');
  });

  it('rewrites other platforms to one token', () => {
    for (const alias of ['淘宝', '淘寶', '抖音', '拼多多', '京东', 'Taobao', 'JD.com', 'Pinduoduo', 'Douyin', 'Amazon']) {
      expect(n(`${alias}店铺`), alias).toBe('OTHERSHOP 店铺');
    }
  });

  it('strips fillers, punctuation and emoji', () => {
    expect(n('请问一下，诚信通啊和速卖通呢有关系吗？？😂👍')).toBe('CXT 和 AE 有关系吗');
    expect(n('Please, can I unbind CXT?!')).toBe('can i unbind CXT');
  });

  it('drops apostrophes inside English words', () => {
    expect(n("Don't close it")).toBe('dont close it');
  });
});

describe('stemEnglish', () => {
  it('brings inflections of one word together', () => {
    for (const word of ['close', 'closes', 'closed', 'closing']) expect(stemEnglish(word)).toBe('clos');
    expect(stemEnglish('stores')).toBe(stemEnglish('store'));
    expect(stemEnglish('companies')).toBe('company');
    expect(stemEnglish('stopped')).toBe('stop');
    expect(stemEnglish('unbinding')).toBe('unbind');
  });

  it('leaves short words and numbers alone', () => {
    expect(stemEnglish('is')).toBe('is');
    expect(stemEnglish('1688')).toBe('1688');
  });
});

describe('FeatureExtractor', () => {
  it('produces character unigrams/bigrams/trigrams for Chinese and concept features', () => {
    const features = extractor.extract(n('速卖通关店后诚信通受影响吗'));
    expect(features).toEqual(expect.arrayContaining(['u:AE', 'u:关', 'b:AE_关', 'b:关_店', 't:关店后', '#close', '#effect']));
  });

  it('produces stemmed word unigrams and bigrams for English, without stopwords', () => {
    const features = extractor.extract(n('Closing the AliExpress stores'));
    expect(features).toEqual(expect.arrayContaining(['u:clos', 'u:AE', 'u:stor', 'b:clos_AE', 'b:AE_stor', '#close']));
    expect(features).not.toContain('u:the');
  });

  it('gives Simplified and Traditional spellings the same features', () => {
    expect(extractor.extract(n('诚信通到期没续费'))).toEqual(extractor.extract(n('誠信通到期沒續費')));
  });
});
