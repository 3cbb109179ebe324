import {
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type Page,
  request,
} from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuilt } from '../../src/web-build.ts';
import { type ServerProcess, scratchDir, startServer } from '../support/server-process.ts';
import { consoleContext, type Lang, launchBrowser, shot, shotsDir, signIn, tid } from './browser.ts';
import { solidPng } from './png.ts';

/**
 * The review consoles (issue 17) against a real server with the demo data: a buyer reviews a delivered line
 * of the demo store with a photo (through the API); the merchant replies once in the console (the reply then
 * shows read-only) and reports the review; an operator finds the report in the moderation queue and hides
 * the review with a reason, which the buyer reads in GET /me/reviews. The store experience score is
 * recomputed from the ops console and shown on the merchant's page. Screenshots in zh-CN and English.
 */

const MERCHANT = '13700000001';
const OPERATOR = '13900000000';
const REVIEW_TEXT = '衣服有线头，客服态度也差，再也不买了！';
const REPLY_TEXT = '非常抱歉给您带来不好的体验，已联系您补发新品。';
const REPORT_NOTE = '买家已获补发，评价内容与事实不符';
const HIDE_REASON = '评价内容含有与订单无关的攻击性言论';

interface MyReview {
  id: string;
  status: 'visible' | 'hidden';
  hiddenReason: string | null;
  reply: { body: string } | null;
}

describe('review consoles in the browser', () => {
  let server: ServerProcess;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const apis: APIRequestContext[] = [];
  const pageErrors: string[] = [];
  let reviewId = '';
  let buyer: APIRequestContext;
  /** The merchant's console page, signed in once (an SMS code per phone per minute). */
  let merchantPage: Page | undefined;

  /** An API client signed in as `phone` (the sandbox SMS code is in the answer outside production). */
  async function apiAs(phone: string, role: 'buyer'): Promise<APIRequestContext> {
    const api = await request.newContext({ baseURL: server.url, extraHTTPHeaders: { origin: server.url } });
    apis.push(api);
    const sent = await api.post('/api/v1/auth/sms-code', { data: { phone } });
    expect(sent.ok(), await sent.text()).toBe(true);
    const { sandboxCode } = (await sent.json()) as { sandboxCode: string };
    const signed = await api.post('/api/v1/auth/sign-in', { data: { phone, code: sandboxCode, role } });
    expect(signed.ok(), await signed.text()).toBe(true);
    return api;
  }

  async function open(lang: Lang, phone: string, url: string): Promise<Page> {
    const context = await consoleContext(browser, lang);
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${server.url}${url}`);
    await signIn(page, phone);
    await page.waitForSelector('.c-page-title');
    return page;
  }

  /** Switches the console's language with its header button and waits for a text of the new one. */
  async function switchTo(page: Page, title: string) {
    await page.click(tid('lang-switch'));
    await page.locator('.c-page-title', { hasText: title }).waitFor();
  }

  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startServer(
      { DATA_DIR: scratchDir('gravity-e2e-reviews-consoles'), PORT: '4315' },
      300_000,
    );
    browser = await launchBrowser();
    console.log(`screenshots: ${shotsDir}`);
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    for (const api of apis) await api.dispose();
    await browser?.close();
    await server?.kill();
  });

  it('the merchant replies once to a new review and reports it (zh-CN, then English)', async () => {
    const page = await open('zh-CN', MERCHANT, '/merchant/reviews');
    merchantPage = page;
    await page.locator(tid('merchant-reviews')).waitFor();
    const merchantApi = page.request;

    // A delivered line of the demo store that nobody reviewed yet: its buyer reviews it with a photo.
    const delivered = (await (
      await merchantApi.get(`${server.url}/api/v1/merchant/orders?status=delivered&pageSize=50`)
    ).json()) as { items: Array<{ id: string; address: { phone: string } }> };
    let target: { orderId: string; skuId: string; phone: string } | undefined;
    const buyers = new Map<string, APIRequestContext>();
    for (const order of delivered.items) {
      if (target) break;
      const phone = order.address.phone;
      const asBuyer = buyers.get(phone) ?? (await apiAs(phone, 'buyer'));
      buyers.set(phone, asBuyer);
      const lines = (await (await asBuyer.get(`/api/v1/orders/${order.id}/reviews`)).json()) as {
        lines?: Array<{ skuId: string; reviewable: boolean; review: unknown }>;
      };
      const line = lines.lines?.find((l) => l.reviewable && !l.review);
      if (line) {
        target = { orderId: order.id, skuId: line.skuId, phone };
        buyer = asBuyer;
      }
    }
    expect(target, 'the demo store has a delivered line without a review').toBeTruthy();
    if (!target) return;
    const uploaded = await buyer.post('/api/v1/reviews/photos', {
      data: { dataUrl: `data:image/png;base64,${solidPng(120, 120, [40, 140, 255]).toString('base64')}` },
    });
    expect(uploaded.status(), await uploaded.text()).toBe(201);
    const { url: photo } = (await uploaded.json()) as { url: string };
    const created = await buyer.post(`/api/v1/orders/${target.orderId}/reviews`, {
      data: {
        skuId: target.skuId,
        rating: 1,
        body: REVIEW_TEXT,
        tags: ['poor_quality'],
        photos: [photo],
        anonymous: false,
      },
    });
    expect(created.status(), await created.text()).toBe(201);
    reviewId = ((await created.json()) as { review: { id: string } }).review.id;

    // The merchant sees it among the unreplied ones, with its text, photo and tag.
    await page.click(tid('reviews-refresh'));
    await page.click(tid('reviews-filter-unreplied'));
    const row = page.locator(`${tid('review-row')}[data-review-id="${reviewId}"]`);
    await row.waitFor();
    expect(await row.locator(tid('review-text')).textContent()).toBe(REVIEW_TEXT);
    expect(await row.locator(tid('review-rating')).textContent()).toBe('1');
    expect(await row.locator(`${tid('review-photos')} img`).count()).toBe(1);
    expect(await row.locator(tid('review-tag')).textContent()).toBe('质量差');
    // the author as shown publicly: a masked phone, never the full number
    const author = (await row.locator(tid('review-author')).textContent()) ?? '';
    expect(author).toContain('****');
    expect(author).not.toContain(target.phone);
    // the photo opens in a preview
    await row
      .locator(`${tid('review-photos')} img`)
      .first()
      .click();
    await page.locator('.ant-image-preview-img').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('.ant-image-preview-img').waitFor({ state: 'detached' });

    // An empty reply is refused in the form; a written one is published once and shown read-only.
    await row.locator(tid('review-reply-open')).click();
    await page.click(tid('review-reply-submit'));
    await page.locator('.ant-modal .ant-form-item-explain-error').first().waitFor();
    await page.fill(tid('review-reply-input'), REPLY_TEXT);
    await page.click(tid('review-reply-submit'));
    await row.locator(tid('review-reply-text')).waitFor();
    expect(await row.locator(tid('review-reply-text')).textContent()).toBe(REPLY_TEXT);
    expect(await row.locator(tid('review-reply-open')).count()).toBe(0);
    // no way to edit or delete a review, nor the reply
    expect(await row.getByRole('button', { name: /编辑|删除|修改/ }).count()).toBe(0);

    // Report it: the reason is required, then the report shows on the review.
    await row.locator(tid('review-report-open')).click();
    await page.click(tid('review-report-submit'));
    await page.locator('.ant-modal .ant-form-item-explain-error').first().waitFor();
    await page.locator('.ant-modal .ant-select').click();
    await page.locator('.ant-select-item-option', { hasText: '辱骂攻击' }).click();
    await page.fill(tid('review-report-note'), REPORT_NOTE);
    await page.click(tid('review-report-submit'));
    await row.locator(tid('review-report')).waitFor();
    expect(await row.locator(tid('review-report-reason')).textContent()).toBe('辱骂攻击');
    expect(await row.locator(tid('review-report-open')).count()).toBe(0);

    // The server has the reply and the report as sent.
    const list = (await (await merchantApi.get(`${server.url}/api/v1/merchant/reviews?limit=50`)).json()) as {
      items: Array<{
        id: string;
        reply: { body: string } | null;
        report: { reason: string; note: string } | null;
      }>;
    };
    expect(list.items.find((r) => r.id === reviewId)).toMatchObject({
      reply: { body: REPLY_TEXT },
      report: { reason: 'abusive', note: REPORT_NOTE },
    });
    // A second reply is refused by the server (one public reply).
    const again = await merchantApi.post(`${server.url}/api/v1/merchant/reviews/${reviewId}/reply`, {
      data: { body: '再回复一次' },
      headers: { origin: server.url },
    });
    expect(again.status()).toBe(409);

    await page.click(tid('reviews-filter-all'));
    await row.waitFor();
    // the new review is the newest: first in the list, under the counts and filters
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'reviews-merchant-list-zh');
    await switchTo(page, 'Reviews');
    await row.locator(tid('review-tag'), { hasText: 'Poor quality' }).waitFor();
    await shot(page, 'reviews-merchant-list-en');
    expect(pageErrors).toEqual([]);
  });

  it('an operator recomputes the experience score and hides the reported review with a reason', async () => {
    expect(reviewId, 'the first test wrote a review').not.toBe('');
    const page = await open('zh-CN', OPERATOR, '/ops/store-experience');
    await page.locator(tid('ops-store-experience')).waitFor();
    await page.click(tid('experience-recompute'));
    await page.click(tid('experience-recompute-confirm'));
    await page.locator('.ant-message-notice').first().waitFor();
    await page.locator(tid('store-experience-row')).first().waitFor();
    // lowest first
    const overall = (
      await page
        .locator(tid('store-experience-row'))
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-overall')))
    )
      .filter((v) => v !== '' && v !== null)
      .map(Number);
    expect(overall.length).toBeGreaterThan(0);
    expect(overall).toEqual([...overall].sort((a, b) => a - b));
    await shot(page, 'reviews-ops-store-experience-zh');

    // The moderation queue: the reported review with its store, buyer phone and the store's report.
    await page.click(tid('nav-review-moderation'));
    const row = page.locator(`${tid('moderation-row')}[data-review-id="${reviewId}"]`);
    await row.waitFor();
    expect(await row.locator(tid('review-text')).textContent()).toBe(REVIEW_TEXT);
    expect(await row.locator(tid('review-report-reason')).textContent()).toBe('辱骂攻击');
    expect(await row.locator(tid('review-report')).textContent()).toContain(REPORT_NOTE);
    expect(await row.locator(tid('moderation-buyer-phone')).textContent()).toMatch(/^1\d{10}$/);
    expect((await row.locator(tid('moderation-store')).textContent())?.length).toBeGreaterThan(0);
    await shot(page, 'reviews-ops-moderation-zh');

    // Hiding needs a reason.
    await row.locator(tid('moderation-hide')).click();
    await page.click(tid('moderation-hide-submit'));
    await page.locator('.ant-modal .ant-form-item-explain-error').first().waitFor();
    await page.fill(tid('moderation-hide-reason'), HIDE_REASON);
    await page.click(tid('moderation-hide-submit'));
    await row.waitFor({ state: 'detached' });

    // Resolved: hidden, with the reason; it can be restored from here.
    await page.click(tid('moderation-tab-resolved'));
    const resolved = page.locator(
      `${tid('moderation-row')}[data-review-id="${reviewId}"][data-status="hidden"]`,
    );
    await resolved.waitFor();
    expect(await resolved.locator(tid('review-hidden-reason')).textContent()).toContain(HIDE_REASON);
    expect(await resolved.locator(tid('review-report')).getAttribute('data-resolution')).toBe('hidden');
    await resolved.locator(tid('moderation-restore')).waitFor();
    await shot(page, 'reviews-ops-moderation-resolved-zh');

    // The buyer reads the reason on their own review.
    const mine = (await (await buyer.get('/api/v1/me/reviews?limit=50')).json()) as { items: MyReview[] };
    expect(mine.items.find((r) => r.id === reviewId)).toMatchObject({
      status: 'hidden',
      hiddenReason: HIDE_REASON,
      reply: { body: REPLY_TEXT },
    });

    // English.
    await switchTo(page, 'Review moderation');
    await resolved.waitFor();
    await shot(page, 'reviews-ops-moderation-en');
    await page.click(tid('moderation-tab-pending'));
    await page.locator(tid('ops-review-moderation')).waitFor();
    await shot(page, 'reviews-ops-moderation-pending-en');

    // The review policy sits with the other policies.
    await page.click(tid('nav-policies'));
    await page.click(tid('policy-tab-reviews'));
    await page.locator(tid('policy-reviews')).waitFor();
    await shot(page, 'reviews-ops-policy-en');
    expect(pageErrors).toEqual([]);
  });

  it('the merchant sees the experience score, its history and what to improve (zh-CN and English)', async () => {
    // The page of the first test, back in Chinese, on the dashboard.
    const page = merchantPage ?? (await open('zh-CN', MERCHANT, '/merchant'));
    await page.goto(`${server.url}/merchant`);
    if ((await page.getAttribute('html', 'lang')) === 'en') await page.click(tid('lang-switch'));
    await page.locator('.c-page-title', { hasText: '欢迎' }).waitFor();
    await page.locator(tid('dashboard-experience')).waitFor();
    await page.click(tid('dashboard-experience-link'));
    await page.locator(tid('merchant-experience')).waitFor();
    const current = page.locator(tid('experience-current'));
    await current.waitFor();
    const mine = (await (await page.request.get(`${server.url}/api/v1/merchant/experience`)).json()) as {
      current: { day: string | null; score: { overall: number } | null };
      history: unknown[];
      suggestions: Array<{ code: string }>;
    };
    expect(await current.getAttribute('data-day')).toBe(mine.current.day ?? '');
    if (mine.current.score)
      expect(Number(await page.locator(tid('experience-overall')).getAttribute('data-score'))).toBe(
        mine.current.score.overall,
      );
    const history = page.locator(tid('experience-history'));
    expect(Number(await history.getAttribute('data-days'))).toBe(mine.history.length);
    if (mine.history.length) await page.waitForSelector(`${tid('experience-history')} canvas`);
    expect(await page.locator(tid('experience-suggestion')).count()).toBe(mine.suggestions.length);
    // every suggestion reads as words, not as its code
    for (const s of await page.locator(tid('experience-suggestion')).allTextContents())
      expect(s).not.toMatch(/[a-z]+_[a-z]+/);
    await shot(page, 'reviews-merchant-experience-zh');
    await switchTo(page, 'Experience score');
    await shot(page, 'reviews-merchant-experience-en');
    await page.click(tid('nav-dashboard'));
    await page.locator(tid('dashboard-experience')).waitFor();
    await page.locator(`${tid('dashboard-trend')}:not([data-state="loading"])`).waitFor();
    await page
      .locator(`${tid('dashboard-reviews')} .ant-statistic-content`)
      .first()
      .waitFor();
    await shot(page, 'reviews-merchant-dashboard-en');
    expect(pageErrors).toEqual([]);
  });
});
