import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuilt } from '../../src/web-build.ts';
import { type ServerProcess, scratchDir, startServer } from '../support/server-process.ts';
import { consoleContext, type Lang, launchBrowser, shot, shotsDir, signIn, tid } from './browser.ts';
import { solidPng } from './png.ts';

/**
 * Reviews (issue 17) in Chromium against a real server: a buyer gets an apparel order delivered, reviews
 * the line on screen with stars, the fit answer, a tag, text and a photo (a wrong file is refused with
 * its reason); the merchant replies (through the API here; the consoles test drives the console); the
 * product page shows the summary, the review, its photo and the reply; my reviews and the store score.
 * Screenshots of each step in zh-CN and English.
 */

const MERCHANT = '13700000001'; // 衣橱小铺, apparel
const BUYER = '13655500071';
const BODY = '面料很舒服，尺码合适，做工不错 <b>不是标签</b>';
const REPLY = '谢谢亲的好评，欢迎再来！';
const OPERATOR = '13900000000';
const HIDE_REASON = '含有与商品无关的内容';

interface Sku {
  id: string;
  size: string;
  color: string;
  stock: number;
}
interface Product {
  id: string;
  title: string;
  storeId: string;
  categoryId: string;
  skus: Sku[];
}

describe('reviews in the browser', () => {
  let server: ServerProcess;
  let browser: Browser;
  let merchant: Page;
  let buyer: Page;
  let product: Product;
  let orderId: string;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startServer(
      {
        DATA_DIR: scratchDir('gravity-e2e-reviews'),
        SANDBOX_PAY_DELAY_MS: '200',
        SANDBOX_DELIVERY_SECONDS: '2',
      },
      240_000,
    );
    browser = await launchBrowser();
    console.log(`screenshots: ${shotsDir}`);

    const merchantContext = await consoleContext(browser, 'zh-CN');
    contexts.push(merchantContext);
    merchant = await merchantContext.newPage();
    await merchant.goto(`${server.url}/merchant`);
    await signIn(merchant, MERCHANT);
    await merchant.waitForSelector(tid('merchant-dashboard'));
    const list = (await (
      await merchant.request.get(`${server.url}/api/v1/merchant/products?pageSize=50`)
    ).json()) as { items: Array<{ id: string; status: string }> };
    for (const item of list.items.filter((p) => p.status === 'on_sale')) {
      const got = (await (await fetch(`${server.url}/api/v1/products/${item.id}`)).json()) as {
        product: Product;
      };
      if (got.product.skus.some((s) => s.stock > 5)) {
        product = got.product;
        break;
      }
    }
    expect(product).toBeDefined();
  });
  afterAll(async () => {
    const within = (p: Promise<unknown> | undefined, ms: number) =>
      Promise.race([p, new Promise((r) => setTimeout(r, ms).unref())]);
    for (const c of contexts) await within(c.close(), 5_000);
    await within(server?.kill(), 15_000);
    await within(server?.kill('SIGKILL'), 5_000);
    await within(browser?.close(), 15_000);
  });

  async function phone(lang: Lang): Promise<BrowserContext> {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: lang,
    });
    await context.addInitScript((l) => {
      if (!localStorage.getItem('gravity.lang')) localStorage.setItem('gravity.lang', l);
    }, lang);
    contexts.push(context);
    return context;
  }

  /** The page in zh-CN, then the same page in English, then back (the language is kept in localStorage). */
  async function shotBoth(page: Page, name: string, ready: string, scrollTo?: string): Promise<void> {
    const show = async () => {
      await page.waitForSelector(ready);
      if (scrollTo) await page.locator(scrollTo).first().scrollIntoViewIfNeeded();
    };
    await show();
    await shot(page, `reviews-${name}-zh-CN`);
    await page.evaluate(() => localStorage.setItem('gravity.lang', 'en'));
    await page.reload();
    await show();
    await shot(page, `reviews-${name}-en`);
    await page.evaluate(() => localStorage.setItem('gravity.lang', 'zh-CN'));
    await page.reload();
    await show();
  }

  it('a buyer gets an apparel order delivered', async () => {
    const context = await phone('zh-CN');
    buyer = await context.newPage();
    buyer.on('pageerror', (e) => pageErrors.push(e.message));
    const next = `/product/${product.id}`;
    await buyer.goto(`${server.url}/login?next=${encodeURIComponent(next)}`);
    await signIn(buyer, BUYER);
    await buyer.waitForURL((u) => u.pathname === next);
    await buyer.waitForSelector(tid('product-detail'));
    // Before any review: the block says so.
    await buyer.waitForSelector(
      `${tid('product-reviews')} ${tid('reviews-empty')}, ${tid('review-summary')}`,
    );

    const sku = product.skus.find((s) => s.stock > 5) as Sku;
    if (sku.size) await buyer.click(`${tid('size-option')}[data-value="${sku.size}"]`);
    if (sku.color) await buyer.click(`${tid('color-option')}[data-value="${sku.color}"]`);
    await buyer.click(tid('buy-now'));
    await buyer.waitForSelector(`${tid('address-form')}, ${tid('address-selected')}`);
    if (await buyer.locator(tid('address-name')).count()) {
      await buyer.fill(tid('address-name'), '李静');
      await buyer.fill(tid('address-phone'), '13812345678');
      await buyer.click(tid('address-region'));
      for (const region of ['浙江省', '杭州市', '西湖区']) {
        await buyer.click(`.adm-cascader-view-item:has-text("${region}") >> visible=true`);
      }
      await buyer.click('.adm-cascader-header-button:last-child');
      await buyer.fill(tid('address-detail'), '文三路 90 号');
    }
    await buyer.waitForFunction(
      (sel) => /\d/.test(document.querySelector(sel)?.textContent ?? ''),
      tid('checkout-total'),
    );
    await buyer.click(tid('checkout-submit'));
    await buyer.waitForSelector(tid('pay-button'));
    await buyer.click(tid('pay-button'));
    await buyer.waitForSelector(`${tid('pay-status')}[data-status="paid"]`, { timeout: 30_000 });
    const checkoutId = new URL(buyer.url()).pathname.split('/').pop() as string;
    const { checkout } = (await (
      await buyer.request.get(`${server.url}/api/v1/checkouts/${checkoutId}`)
    ).json()) as { checkout: { orders: Array<{ id: string }> } };
    orderId = checkout.orders[0]?.id as string;
    const shipped = await merchant.request.post(`${server.url}/api/v1/merchant/orders/${orderId}/ship`, {
      data: { carrier: 'sf', trackingNo: `SF${Date.now()}` },
    });
    expect(shipped.status(), await shipped.text()).toBe(200);
    await buyer.goto(`${server.url}/orders/${orderId}`);
    // The sandbox carrier delivers after SANDBOX_DELIVERY_SECONDS; the page refreshes itself.
    await buyer.waitForSelector(`${tid('order-status')}[data-status="delivered"]`, { timeout: 60_000 });
    await buyer.waitForSelector(tid('line-review-write'));
    // The review form asks the fit question: the size assistant's separate prompt is gone here.
    expect(await buyer.locator(tid('fit-feedback')).count()).toBe(0);
    await shotBoth(buyer, '01-order-to-review', tid('line-review-write'), tid('order-line'));
  });

  it('the buyer reviews the line with stars, fit, a tag, text and a photo', async () => {
    await buyer.click(tid('line-review-write'));
    await buyer.waitForSelector(tid('review-form'));
    await shotBoth(buyer, '02-review-form-empty', tid('review-form'));

    // No stars yet: the form says what is missing and sends nothing.
    await buyer.click(tid('review-submit'));
    await buyer.waitForSelector(tid('review-error'));

    await buyer.tap(`${tid('review-rating')} .adm-rate-star[aria-label="5"]`);
    await buyer.waitForFunction(
      (sel) => (document.querySelector(sel)?.textContent ?? '') !== '',
      tid('review-rating-word'),
    );
    // Apparel whose fit was not told yet: the one fit question is here.
    await buyer.click(tid('review-fit-fit'));
    await buyer.click(`${tid('review-tag')}[data-tag="quality_good"]`);
    await buyer.click(`${tid('review-tag')}[data-tag="nice_fabric"]`);
    await buyer.fill(`${tid('review-body-input')} textarea, textarea${tid('review-body-input')}`, BODY);

    const input = buyer.locator(`${tid('review-photos')} input[type="file"]`);
    // A wrong type is refused with its reason, before any upload.
    await input.setInputFiles({ name: 'notes.gif', mimeType: 'image/gif', buffer: Buffer.from('GIF89a') });
    await buyer.waitForSelector(tid('review-photo-error'));
    expect(await buyer.textContent(tid('review-photo-error'))).toContain('notes.gif');
    await input.setInputFiles({
      name: 'look.png',
      mimeType: 'image/png',
      buffer: solidPng(96, 96, [230, 90, 60]),
    });
    await buyer.waitForSelector(`${tid('review-photos')} .adm-image-uploader-cell img`);
    await buyer.waitForSelector(`${tid('review-submit')}:not([disabled])`);
    await buyer.locator(tid('review-photos')).scrollIntoViewIfNeeded();
    await shot(buyer, 'reviews-03-review-form-filled-zh-CN');

    await buyer.click(tid('review-submit'));
    await buyer.waitForSelector(`${tid('line-review')}[data-state="visible"]`);
    expect(new URL(buyer.url()).pathname).toBe(`/orders/${orderId}`);
    expect(await buyer.locator(tid('line-review-write')).count()).toBe(0);
    // The fit answer reaches the size assistant through the server (review.created): the line shows it.
    await expect
      .poll(
        async () => {
          const r = await buyer.request.get(`${server.url}/api/v1/orders/${orderId}/fit-feedback`);
          return ((await r.json()) as { items: Array<{ fit: string }> }).items.map((f) => f.fit);
        },
        { timeout: 30_000, interval: 500 },
      )
      .toEqual(['fit']);
    await shotBoth(buyer, '04-order-reviewed', tid('line-review'), tid('order-line'));
  });

  it('the merchant replies once, publicly', async () => {
    const list = (await (
      await merchant.request.get(`${server.url}/api/v1/merchant/reviews?productId=${product.id}`)
    ).json()) as { items: Array<{ id: string; orderId: string }> };
    const review = list.items.find((r) => r.orderId === orderId);
    expect(review).toBeDefined();
    const res = await merchant.request.post(`${server.url}/api/v1/merchant/reviews/${review?.id}/reply`, {
      data: { body: REPLY },
    });
    expect(res.status(), await res.text()).toBe(200);
  });

  it('the product page shows the summary, the review, its photo and the reply', async () => {
    await buyer.goto(`${server.url}/product/${product.id}`);
    await buyer.waitForSelector(tid('review-summary'));
    const mine = buyer.locator(tid('review-card'), { hasText: REPLY });
    await mine.waitFor();
    // The text is shown as text (escaped), never as markup.
    expect(await mine.locator(tid('review-body')).textContent()).toBe(BODY);
    expect(await mine.locator('b', { hasText: '不是标签' }).count()).toBe(0);
    expect(await mine.locator(tid('review-photo')).count()).toBe(1);
    expect(await mine.locator(tid('review-reply')).textContent()).toContain(REPLY);
    expect(await mine.locator(tid('review-fit')).count()).toBe(1);
    expect(Number(await buyer.getAttribute(tid('review-summary'), 'data-count'))).toBeGreaterThanOrEqual(1);
    expect(await buyer.textContent(tid('review-tag-counts'))).toContain('质量好');
    await shotBoth(buyer, '05-product-reviews', tid('review-summary'), tid('product-reviews'));

    // With photos: the buyer's photo review is among them.
    await buyer.locator(tid('product-reviews')).scrollIntoViewIfNeeded();
    await buyer.click(tid('review-filter-photos'));
    await buyer.locator(tid('review-card'), { hasText: REPLY }).waitFor();
    expect(await buyer.locator(`${tid('review-card')}[data-default]`).count()).toBe(0);
    // The photo opens full screen.
    await buyer.locator(tid('review-card'), { hasText: REPLY }).locator(tid('review-photo')).click();
    await buyer.waitForSelector('.adm-image-viewer-content, .adm-image-viewer-slides');
    await buyer.waitForTimeout(600); // the viewer's opening animation
    await shot(buyer, 'reviews-06-photo-viewer-zh-CN');
  });

  it('my reviews list it with its state; the store page shows its score', async () => {
    await buyer.goto(`${server.url}/me`);
    await buyer.click(tid('me-reviews'));
    await buyer.waitForSelector(`${tid('my-review')}[data-status="visible"]`);
    await shotBoth(buyer, '07-my-reviews', tid('my-review'));
    // A follow-up, once, within the window.
    await buyer.click(tid('review-follow-up-open'));
    await buyer.waitForSelector(tid('review-follow-up-form'));
    await buyer.fill(
      `${tid('review-follow-up-body')} textarea, textarea${tid('review-follow-up-body')}`,
      '穿了两周，没有起球',
    );
    await buyer.waitForTimeout(400); // the sheet slides up
    await shot(buyer, 'reviews-07b-follow-up-zh-CN');
    await buyer.click(tid('review-follow-up-submit'));
    await buyer.waitForSelector(`${tid('my-review')} ${tid('review-follow-up')}`);
    expect(await buyer.textContent(tid('review-follow-up'))).toContain('没有起球');
    expect(await buyer.locator(tid('review-follow-up-open')).count()).toBe(0);

    await buyer.goto(`${server.url}/store/${product.storeId}`);
    await buyer.waitForSelector(tid('store-score'));
    await buyer.waitForSelector(tid('store-review-summary'));
    await buyer.evaluate(() => window.scrollTo(0, 0));
    await shotBoth(buyer, '08-store-score', tid('store-score'), tid('store-name'));
  });

  it('a product with many demo reviews: distribution, tags, fit summary, paging', async () => {
    const list = (await (
      await merchant.request.get(`${server.url}/api/v1/merchant/products?pageSize=50`)
    ).json()) as { items: Array<{ id: string }> };
    let best = { id: '', count: 0 };
    for (const item of list.items) {
      const s = (await (await fetch(`${server.url}/api/v1/products/${item.id}/review-summary`)).json()) as {
        count: number;
      };
      if (s.count > best.count) best = { id: item.id, count: s.count };
    }
    if (best.count === 0) return; // a seed without demo reviews: nothing more to show
    await buyer.goto(`${server.url}/product/${best.id}`);
    await buyer.waitForSelector(tid('review-summary'));
    await buyer.waitForSelector(`${tid('review-list')} ${tid('review-card')}`);
    expect(Number(await buyer.getAttribute(tid('review-summary'), 'data-count'))).toBe(best.count);
    await shotBoth(buyer, '10-product-many-reviews', tid('review-card'), tid('product-reviews'));
    if (await buyer.locator(tid('reviews-more')).count()) {
      const before = await buyer.locator(tid('review-card')).count();
      await buyer.click(tid('reviews-more'));
      await expect.poll(() => buyer.locator(tid('review-card')).count()).toBeGreaterThan(before);
      await buyer.locator(tid('review-card')).last().scrollIntoViewIfNeeded();
      await shot(buyer, 'reviews-11-more-reviews-zh-CN');
    }
  });

  it('an operator hides it with a reason: the buyer sees the reason, the product page no longer shows it', async () => {
    const opsContext = await consoleContext(browser, 'zh-CN');
    contexts.push(opsContext);
    const ops = await opsContext.newPage();
    await ops.goto(`${server.url}/ops`);
    await signIn(ops, OPERATOR);
    await ops.waitForSelector(tid('ops-overview'));
    const mine = (await (await buyer.request.get(`${server.url}/api/v1/me/reviews`)).json()) as {
      items: Array<{ id: string; orderId: string }>;
    };
    const review = mine.items.find((r) => r.orderId === orderId);
    const hidden = await ops.request.post(`${server.url}/api/v1/ops/reviews/${review?.id}/hide`, {
      data: { reason: HIDE_REASON },
    });
    expect(hidden.status(), await hidden.text()).toBe(200);

    await buyer.goto(`${server.url}/me/reviews`);
    await buyer.waitForSelector(`${tid('my-review')}[data-status="hidden"]`);
    expect(await buyer.textContent(tid('my-review-hidden-reason'))).toContain(HIDE_REASON);
    await shotBoth(buyer, '09-my-review-hidden', tid('my-review-hidden-reason'));
    await buyer.goto(`${server.url}/orders/${orderId}`);
    await buyer.waitForSelector(`${tid('line-review')}[data-state="hidden"]`);
    expect(await buyer.textContent(tid('line-review-hidden'))).toContain(HIDE_REASON);
    await buyer.goto(`${server.url}/product/${product.id}`);
    await buyer.waitForSelector(`${tid('product-reviews')} ${tid('reviews-empty')}, ${tid('review-list')}`);
    await buyer.waitForSelector(`${tid('product-reviews')} ${tid('reviews-loading')}`, { state: 'detached' });
    expect(await buyer.locator(tid('review-card'), { hasText: REPLY }).count()).toBe(0);
  });

  it('no page threw', () => {
    expect(pageErrors).toEqual([]);
  });
});
