import { describe, expect, it } from 'vitest';
import { SellerSimulator } from '../fixtures/seller-simulator.js';

async function atTracks() {
  const seller = new SellerSimulator();
  const t = seller.t('zh-CN');
  await seller.say(t('topics:scenario.deregister'));
  const tracks = await seller.say(t('scenario:choice.deregistered_yes'));
  return { seller, t, tracks };
}

describe('scenario 3: company deregistered, end every Alibaba link', () => {
  it('offers the two independent tracks, both needing paper proofs', async () => {
    const { t, tracks } = await atTracks();
    expect(tracks.text).toBe(t('scenario:deregister.tracks'));
    expect(tracks.text).toContain('纸质证明材料');
    expect(tracks.buttons).toEqual([t('scenario:deregister.track.ae'), t('scenario:deregister.track.cxt'), t('scenario:choice.later')]);
  });

  it('AliExpress first, then CXT: remembers what is done and finishes', async () => {
    const { seller, t } = await atTracks();
    const ae = await seller.say(t('scenario:deregister.track.ae'));
    expect(ae.text).toContain('《企业注销证明》');
    expect(ae.text).toContain('卖家保障团队');
    expect(ae.text).toContain('《准予注销登记通知书》');
    const back = await seller.say(t('scenario:choice.submitted'));
    expect(back.text).toContain(t('scenario:deregister.ae_closed_note'));
    expect(back.buttons).toEqual([t('scenario:deregister.track.cxt'), t('scenario:choice.later')]);
    const cxt = await seller.say(t('scenario:deregister.track.cxt'));
    expect(cxt.text).toContain('1688.com →【我的阿里】→【诚信通服务】→【服务管理】→【终止服务】');
    expect(cxt.text).toContain('3个工作日');
    expect(cxt.text).toContain('《1688诚信通服务协议》第8.3条');
    const done = await seller.say('已提交');
    expect(done.text).toContain(t('scenario:deregister.all_done'));
  });

  it('CXT first, then AliExpress, in either order', async () => {
    const { seller, t } = await atTracks();
    await seller.say(t('scenario:deregister.track.cxt'));
    const back = await seller.say(t('scenario:choice.submitted'));
    expect(back.buttons).toEqual([t('scenario:deregister.track.ae'), t('scenario:choice.later')]);
    await seller.say(t('scenario:deregister.track.ae'));
    expect((await seller.say(t('scenario:choice.submitted'))).text).toContain(t('scenario:deregister.all_done'));
  });

  it('keeps progress when the seller leaves and restarts the scenario', async () => {
    const { seller, t } = await atTracks();
    await seller.say(t('scenario:deregister.track.ae'));
    await seller.say(t('scenario:choice.submitted'));
    await seller.say(t('scenario:choice.later'));
    await seller.say(t('topics:scenario.deregister'));
    const tracks = await seller.say(t('scenario:choice.deregistered_yes'));
    expect(tracks.text).toContain(t('scenario:deregister.ae_closed_note'));
    expect(tracks.buttons).not.toContain(t('scenario:deregister.track.ae'));
  });

  it('a track not yet submitted stays open', async () => {
    const { seller, t } = await atTracks();
    await seller.say(t('scenario:deregister.track.ae'));
    const back = await seller.say(t('scenario:choice.do_later'));
    expect(back.buttons).toContain(t('scenario:deregister.track.ae'));
  });

  it('before deregistration is complete, points to closing only the store', async () => {
    const seller = new SellerSimulator();
    const t = seller.t('zh-CN');
    await seller.say(t('topics:scenario.deregister'));
    const notYet = await seller.say('还没有');
    expect(notYet.text).toBe(t('scenario:deregister.not_yet'));
    const close = await seller.say(t('topics:scenario.close_store'));
    expect(close.text).toContain(t('scenario:close_store.inventory'));
  });

  it('runs in English', async () => {
    const seller = new SellerSimulator({ locale: 'en' });
    const t = seller.t('en');
    await seller.say(t('topics:scenario.deregister'));
    await seller.say('yes');
    const cxt = await seller.say(t('scenario:deregister.track.cxt'));
    expect(cxt.text).toContain('**3 working days**');
    expect(cxt.text).toContain('clause 8.3');
  });
});
