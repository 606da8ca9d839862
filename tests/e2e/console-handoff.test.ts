import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../fixtures/launch-chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstLine, ONE_CLICK_QUESTION, oneClickUnbindAnswer, welcomeText } from '../channels/helpers/expected-text.js';
import { localeText, startTestServer, type TestServer } from '../channels/helpers/test-server.js';
import { createStaffUser } from '../../src/console/staff-accounts.js';

const WAIT = { timeout: 30_000 };
const XSS = '<img src=x onerror=alert(1)>';
const ADMIN_PASSWORD = 'admin-password-1';

const en = (key: string) => localeText('en', 'console', key);
const zh = (ns: string, key: string) => localeText('zh-CN', ns, key);
const fill = (template: string, vars: Record<string, string | number>) =>
  Object.entries(vars).reduce((text, [name, value]) => text.split(`{{${name}}}`).join(String(value)), template);

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer({ CONSOLE_ADMIN_USER: 'admin', CONSOLE_ADMIN_PASSWORD: ADMIN_PASSWORD });
  await createStaffUser(server.app.stores.console.staff, { username: 'bob', password: 'bob-password-1', displayName: 'Bob' });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Alerts, uncaught errors and CSP violations a page reports. */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(msg.text())) problems.push(msg.text());
  });
  return problems;
}

const sendBox = (page: Page) => page.locator('[data-id="webchat-sendbox-input"]');
const botBubbles = (page: Page) => page.locator('.webchat__bubble:not(.webchat__bubble--from-user)');
const userBubbles = (page: Page) => page.locator('.webchat__bubble--from-user');

async function ask(page: Page, text: string): Promise<void> {
  await sendBox(page).click();
  await sendBox(page).fill(text);
  await sendBox(page).press('Enter');
  await userBubbles(page).getByText(text, { exact: true }).last().waitFor(WAIT);
}

async function signInToConsole(page: Page, username = 'admin', password = ADMIN_PASSWORD): Promise<void> {
  const res = await page.goto(`${server.base}/console?lang=en`);
  expect(res?.status()).toBe(401); // the sign-in form, answered with 401 like every console URL without a session
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.locator('body[data-ready="true"]').waitFor(WAIT);
}

describe('human handoff through the staff console, in Chromium', () => {
  it('seller asks for a person; staff sees it live, takes over, replies, hands back; the bot answers the next question; seller rates', { timeout: 240_000 }, async () => {
    const staffContext = await browser.newContext({ locale: 'en-US' });
    const staff = await staffContext.newPage();
    const staffProblems = watchProblems(staff);
    await signInToConsole(staff);
    await staff.getByTestId('live-status').getByText(en('header.live')).waitFor(WAIT);

    const sellerContext = await browser.newContext({ locale: 'zh-CN' });
    const seller = await sellerContext.newPage();
    const sellerProblems = watchProblems(seller);
    await seller.goto(`${server.base}/`);
    await botBubbles(seller).getByText(firstLine(welcomeText())).first().waitFor(WAIT);

    // The XSS payload as a seller message: shown as text by the widget.
    const before = await botBubbles(seller).count();
    await ask(seller, XSS);
    await expect.poll(() => botBubbles(seller).count(), WAIT).toBeGreaterThan(before);

    await ask(seller, '我想找人工');
    await botBubbles(seller).getByText(firstLine(zh('escalation', 'initiated'))).first().waitFor(WAIT);
    await botBubbles(seller).getByText(fill(zh('handoff', 'queue.position'), { position: 1, minutes: 2 })).waitFor(WAIT);

    // The console shows the waiting seller without a reload.
    const item = staff.getByTestId('section-queued').getByTestId('conversation-item');
    await item.waitFor(WAIT);
    await expect(item.locator('.preview').textContent()).resolves.toBe('我想找人工');
    await item.click();
    await staff.getByTestId('case-reason').getByText(en('view.reasons.seller_request')).waitFor(WAIT);

    // Transcript: the payload is text, not an element; each seller message carries its intent and score.
    const transcript = staff.getByTestId('transcript');
    await transcript.getByText(XSS, { exact: true }).waitFor(WAIT);
    await expect(transcript.locator('img').count()).resolves.toBe(0);
    const handoffLine = transcript.getByTestId('transcript-line').filter({ hasText: '我想找人工' });
    await handoffLine.getByTestId('intent').getByText(/^handoff\.human · \d\.\d\d$/).waitFor(WAIT);

    // A colleague watches the same conversation.
    const colleagueContext = await browser.newContext({ locale: 'en-US' });
    const colleague = await colleagueContext.newPage();
    const colleagueProblems = watchProblems(colleague);
    await signInToConsole(colleague, 'bob', 'bob-password-1');
    await colleague.getByTestId('section-queued').getByTestId('conversation-item').click();
    await colleague.getByTestId('case-card').waitFor(WAIT);

    await staff.getByTestId('takeover').click();
    await staff.getByTestId('reply-input').waitFor(WAIT);
    // Only the one who took over can reply; the colleague sees who holds it.
    await colleague.getByTestId('reply-locked').getByText(fill(en('view.heldByOther'), { agent: 'admin' })).waitFor(WAIT);
    await expect(colleague.getByTestId('reply-input').count()).resolves.toBe(0);
    await botBubbles(seller).getByText(fill(zh('escalation', 'accepted'), { name: 'admin' })).waitFor(WAIT);

    // Markup typed by the agent reaches the seller as the same characters.
    const reply = '您好，我是顾问 admin，我来帮您处理解绑。<b>**注意**</b>';
    await staff.getByTestId('reply-input').fill(reply);
    await staff.getByTestId('reply-send').click();
    await botBubbles(seller).getByText(reply).waitFor(WAIT);
    await colleague.getByTestId('transcript').getByText(reply).waitFor(WAIT);
    await staff.screenshot({ path: '/tmp/console-e2e.png' });

    // While the consultant holds the conversation the bot is silent; the console gets the message live.
    const botCount = await botBubbles(seller).count();
    await ask(seller, '好的，谢谢，还有个问题');
    await transcript.getByText('好的，谢谢，还有个问题', { exact: true }).waitFor(WAIT);
    await seller.waitForTimeout(1500);
    await expect(botBubbles(seller).count()).resolves.toBe(botCount);

    await staff.getByTestId('release').click();
    await staff.getByTestId('view-state').getByText(en('states.bot')).waitFor(WAIT);
    await botBubbles(seller).getByText(zh('escalation', 'back_to_bot')).waitFor(WAIT);
    await botBubbles(seller).getByText(zh('escalation', 'ask_rating')).waitFor(WAIT);

    // The bot answers the seller's next question (asking for the rating again after it); then the seller rates.
    await ask(seller, ONE_CLICK_QUESTION);
    await botBubbles(seller).getByText(firstLine(oneClickUnbindAnswer()).split('。')[1]!).first().waitFor(WAIT);
    await seller.locator('.webchat__suggested-action').getByText('5', { exact: true }).click();
    await botBubbles(seller).getByText(fill(zh('escalation', 'rating_thanks'), { score: 5 })).waitFor(WAIT);

    // The console, still open on the conversation, annotates the new seller message with its intent live.
    await transcript
      .getByTestId('transcript-line')
      .filter({ hasText: ONE_CLICK_QUESTION })
      .getByTestId('intent')
      .getByText(/^[a-z_.]+ · \d\.\d\d$/)
      .waitFor(WAIT);

    // The rating reaches the console; the handoff events are in the transcript.
    await staff.getByTestId('tab-ratings').click();
    const row = staff.getByTestId('rating-row').first();
    await row.waitFor(WAIT);
    await expect(row.textContent()).resolves.toContain('admin');
    await expect(row.textContent()).resolves.toContain('5');
    await staff.getByTestId('tab-conversations').click();
    await transcript.getByTestId('transcript-event').getByText(fill(en('view.events.accepted'), { agentName: 'admin' })).waitFor(WAIT);
    await transcript.getByTestId('transcript-event').getByText(en('view.events.completed')).waitFor(WAIT);

    // Dashboard: the payload the bot did not understand is listed, as text.
    await staff.getByTestId('tab-dashboard').click();
    await staff.getByTestId('not-understood').getByText(XSS, { exact: true }).waitFor(WAIT);
    await expect(staff.getByTestId('conversation-list').isVisible()).resolves.toBe(false);
    await expect(staff.getByTestId('not-understood').locator('img').count()).resolves.toBe(0);
    await expect(staff.locator('#kpi-conversations').textContent()).resolves.toBe('1');
    await expect(staff.locator('#kpi-handoff').textContent()).resolves.toBe('100%');
    await staff.getByTestId('tab-conversations').click();

    // Reloading the console keeps everything (it comes from storage, not from the page).
    await staff.reload();
    await staff.locator('body[data-ready="true"]').waitFor(WAIT);
    await staff.getByTestId('section-bot').getByTestId('conversation-item').first().click();
    await staff.getByTestId('transcript').getByText(reply).waitFor(WAIT);
    await expect(staff.getByTestId('transcript').locator('img').count()).resolves.toBe(0);

    expect(staffProblems).toEqual([]);
    expect(sellerProblems).toEqual([]);
    expect(colleagueProblems).toEqual([]);
    await colleagueContext.close();
    await sellerContext.close();
    await staffContext.close();
  });

  it('the seller\'s Direct Line token opens nothing of the console', async () => {
    const tokenRes = await fetch(`${server.base}/api/widget/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: server.base },
      body: JSON.stringify({ locale: 'zh-CN' }),
    });
    expect(tokenRes.status).toBe(200);
    const { token } = (await tokenRes.json()) as { token: string };
    expect(token).toBeTruthy();
    for (const path of ['/console', '/api/console/conversations', '/api/console/me', '/api/console/dashboard']) {
      const res = await fetch(`${server.base}${path}`, { headers: { Authorization: `Bearer ${token}`, cookie: `cxt_console=${token}` } });
      expect(res.status, path).toBe(401);
    }
    const post = await fetch(`${server.base}/api/console/conversations/x/takeover`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(post.status).toBe(401);
  });
});
