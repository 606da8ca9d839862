import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../fixtures/launch-chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstLine, ONE_CLICK_QUESTION, oneClickUnbindAnswer, welcomeText } from '../channels/helpers/expected-text.js';
import { localeText, startTestServer, type TestServer } from '../channels/helpers/test-server.js';

const WAIT = { timeout: 30_000 };
/** An English question from the NLU training data whose answer is the one-click-unbind FAQ. */
const ENGLISH_QUESTION = 'Can I one-click unbind CXT from AliExpress?';

let bot: TestServer;
let shop: Server;
let shopOrigin: string;
let browser: Browser;

beforeAll(async () => {
  // A shop page on another origin (another port) that embeds the snippet.
  shop = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html><head><meta charset="utf-8"><title>shop</title></head><body><h1>shop</h1>
<script src="${bot.base}/embed.js" data-locale="zh-CN" async></script></body></html>`);
  });
  await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
  shopOrigin = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
  bot = await startTestServer({ ALLOWED_ORIGINS: shopOrigin, STORAGE: 'sqlite' });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => shop?.close(resolve));
  await bot?.close();
});

/** Problems the page reports: CSP violations and uncaught errors. */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(msg.text())) problems.push(msg.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
}

const sendBox = (page: Page) => page.locator('[data-id="webchat-sendbox-input"]');
const botBubbles = (page: Page) => page.locator('.webchat__bubble:not(.webchat__bubble--from-user)');
const userBubbles = (page: Page) => page.locator('.webchat__bubble--from-user');

/**
 * Waits until a bot bubble shows `text`. Literal `**` left by the renderer is ignored here (CommonMark does not
 * close emphasis between CJK punctuation and a letter: a content matter, checked separately on the welcome).
 */
async function waitForBotText(page: Page, text: string): Promise<void> {
  // The markdown renderer also makes quotes typographic.
  const normalize = (t: string): string =>
    t.replace(/\*\*/g, '').replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"').replace(/\s+/g, ' ');
  const plain = normalize(text);
  await expect
    .poll(
      async () =>
        (await botBubbles(page).allInnerTexts()).some((t) => normalize(t).includes(plain)),
      WAIT,
    )
    .toBe(true);
}

async function ask(page: Page, text: string): Promise<void> {
  await sendBox(page).click();
  await sendBox(page).fill(text);
  await sendBox(page).press('Enter');
}

describe('web widget in Chromium', () => {
  it('demo page: welcome, Chinese question and answer, suggested action, history after reload', { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    const problems = watchProblems(page);
    await page.goto(`${bot.base}/`);
    await expect(page.title()).resolves.toBe(localeText('zh-CN', 'widget', 'page_title'));
    await waitForBotText(page, firstLine(welcomeText()));
    // Markdown renders: the welcome's bold sentence is a <strong>, not literal asterisks.
    await expect(botBubbles(page).first().locator('strong').count()).resolves.toBeGreaterThan(0);

    await ask(page, ONE_CLICK_QUESTION);
    await userBubbles(page).getByText(ONE_CLICK_QUESTION).waitFor(WAIT);
    const answer = firstLine(oneClickUnbindAnswer());
    await waitForBotText(page, answer);

    const action = page.locator('.webchat__suggested-action').first();
    await action.waitFor(WAIT);
    const actionTitle = (await action.innerText()).trim();
    const botCount = await botBubbles(page).count();
    await action.click();
    await userBubbles(page).getByText(actionTitle).first().waitFor(WAIT);
    await expect.poll(() => botBubbles(page).count(), WAIT).toBeGreaterThan(botCount);
    // No "send failed" state: every user bubble was confirmed by its echo.
    await expect(page.locator('.webchat__activity-status--send-failed').count()).resolves.toBe(0);

    await page.reload();
    await userBubbles(page).getByText(ONE_CLICK_QUESTION).waitFor(WAIT);
    await waitForBotText(page, answer);
    await userBubbles(page).getByText(actionTitle).first().waitFor(WAIT);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('a first question about how long closing takes shows the review time, and a reload keeps it', { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${bot.base}/`);
    await waitForBotText(page, firstLine(welcomeText()));
    await ask(page, '速卖通关店一般要多久');
    await waitForBotText(page, '72小时');
    await waitForBotText(page, '37小时');
    // The offer to guide step by step comes with its buttons right under it.
    await waitForBotText(page, localeText('zh-CN', 'facts', 'guide_offer'));
    await page.locator('.webchat__suggested-action').getByText(localeText('zh-CN', 'facts', 'guide_yes')).waitFor(WAIT);
    await page.reload();
    await userBubbles(page).getByText('速卖通关店一般要多久').waitFor(WAIT);
    await waitForBotText(page, '72小时');
    await waitForBotText(page, '37小时');
    await context.close();
  });

  it('does not send while an IME composition is confirmed with Enter', { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${bot.base}/`);
    await waitForBotText(page, firstLine(welcomeText()));
    const before = await userBubbles(page).count();
    await sendBox(page).click();
    // A real key press through the browser's input pipeline while a composition is open (isComposing is true).
    const cdp = await context.newCDPSession(page);
    await cdp.send('Input.imeSetComposition', { text: 'chengxin', selectionStart: 8, selectionEnd: 8 });
    const enter = { key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13, text: '\r' };
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', ...enter });
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13 });
    await page.waitForTimeout(1000);
    await expect(userBubbles(page).count()).resolves.toBe(before);
    // Once the candidate is confirmed, Enter sends.
    await cdp.send('Input.insertText', { text: ONE_CLICK_QUESTION });
    await sendBox(page).press('Enter');
    await userBubbles(page).getByText(ONE_CLICK_QUESTION).first().waitFor(WAIT);
    await context.close();
  });

  it('language choice: a new English conversation, and an existing one continuing in English', { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${bot.base}/?lang=en`);
    await expect(page.title()).resolves.toBe(localeText('en', 'widget', 'page_title'));
    await waitForBotText(page, firstLine(welcomeText('en')));

    const zh = await browser.newContext({ locale: 'zh-CN' });
    const seller = await zh.newPage();
    await seller.goto(`${bot.base}/`);
    await waitForBotText(seller, firstLine(welcomeText()));
    await ask(seller, ONE_CLICK_QUESTION);
    await waitForBotText(seller, firstLine(oneClickUnbindAnswer()));
    await Promise.all([seller.waitForURL(/lang=en/), seller.selectOption('#language', 'en')]);
    await userBubbles(seller).getByText(ONE_CLICK_QUESTION).waitFor(WAIT);
    await ask(seller, ENGLISH_QUESTION);
    await waitForBotText(seller, firstLine(oneClickUnbindAnswer('en')));
    await context.close();
    await zh.close();
  });

  it('embed snippet on another origin: button first, bundle on click, then the chat', { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    const problems = watchProblems(page);
    const bundleRequests: string[] = [];
    page.on('request', (req) => {
      if (req.url().includes('/webchat/webchat.js')) bundleRequests.push(req.url());
    });
    await page.goto(`${shopOrigin}/`);
    const button = page.locator('#cxt-widget-button');
    await button.getByText(localeText('zh-CN', 'widget', 'open_button')).waitFor(WAIT);
    expect(bundleRequests).toEqual([]);

    await button.click();
    await waitForBotText(page, firstLine(welcomeText()));
    expect(bundleRequests).toHaveLength(1);
    await ask(page, ONE_CLICK_QUESTION);
    await waitForBotText(page, firstLine(oneClickUnbindAnswer()));
    expect(problems).toEqual([]);
    await context.close();
  });
});
