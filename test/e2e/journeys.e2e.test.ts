import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuilt } from '../../src/web-build.ts';
import { formatFen } from '../../web/src/money.ts';
import { type ServerProcess, scratchDir, startServer } from '../support/server-process.ts';
import { launchBrowser, shot, shotsDir, signIn, tid } from './browser.ts';
import { solidPng } from './png.ts';

/**
 * A merchant creates a product; a buyer finds it, buys it and pays; the merchant ships it; the
 * buyer confirms receipt; the operator sees a zero trial balance. All in Chromium, against a real
 * server process on a fresh embedded database with the demo data.
 */

const TITLE = `E2E纯棉T恤 ${Date.now() % 100000}`;

/**
 * What the server quotes the page's buyer (signed in or not) for one unit of the product's M/黑色:
 * the one final price (到手价) every page must show. Coupons of the demo stores may apply, so the
 * test asks instead of assuming the list price.
 */
async function quotedFen(page: Page): Promise<number> {
  const productId = /\/product\/([0-9a-f-]{36})/.exec(page.url())?.[1];
  expect(productId, page.url()).toBeTruthy();
  return page.evaluate(async (id) => {
    const detail = await (await fetch(`/api/v1/products/${id}`)).json();
    const sku = detail.product.skus.find(
      (s: { size: string; color: string }) => s.size === 'M' && s.color === '黑色',
    );
    const res = await fetch('/api/v1/quote', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ lines: [{ skuId: sku.id, quantity: 1 }] }),
    });
    return (await res.json()).quote.totalFen as number;
  }, productId);
}

describe('browser journeys', () => {
  let server: ServerProcess;
  let browser: Browser;
  let merchantContext: BrowserContext;
  let phoneContext: BrowserContext;
  let merchant: Page;
  let buyer: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startServer(
      { DATA_DIR: scratchDir('gravity-e2e'), SANDBOX_PAY_DELAY_MS: '200', SANDBOX_DELIVERY_SECONDS: '2' },
      180_000,
    );
    browser = await launchBrowser();
    merchantContext = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    phoneContext = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
    });
    merchant = await merchantContext.newPage();
    buyer = await phoneContext.newPage();
    for (const page of [merchant, buyer]) page.on('pageerror', (e) => pageErrors.push(e.message));
    console.log(`screenshots: ${shotsDir}`);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.kill();
  });

  it('a merchant signs in and creates a product with SKUs, an image and a size chart', async () => {
    await merchant.goto(`${server.url}/merchant`);
    await signIn(merchant, '13700000002');
    await merchant.waitForSelector(tid('merchant-dashboard'));
    await merchant.click(tid('nav-products'));
    await merchant.waitForSelector(tid('merchant-product-row'));
    await merchant.click(tid('new-product'));
    await merchant.fill(tid('product-title'), TITLE);
    await merchant.click(`${tid('product-category')} .ant-select`);
    await merchant.click(tid('category-option-women'));
    await merchant.click(tid('category-option-women-tshirt'));
    await merchant.fill(tid('product-brand'), '引力测试');
    await merchant.fill(tid('product-description'), '100% 纯棉，亲肤透气。');
    await merchant.setInputFiles(tid('product-image-file'), {
      name: 'a.png',
      mimeType: 'image/png',
      buffer: solidPng(),
    });
    await merchant.waitForSelector(tid('product-image'));
    await merchant.fill(tid('product-sizes'), 'S, M, L');
    await merchant.fill(tid('product-colors'), '黑色, 白色');
    await merchant.fill(tid('sku-batch-price'), '59.9');
    await merchant.fill(tid('sku-batch-stock'), '20');
    await merchant.click(tid('sku-batch-apply'));
    expect(await merchant.locator(tid('sku-row')).count()).toBe(6);
    for (const [i, size] of ['S', 'M', 'L'].entries()) {
      await merchant.fill(tid(`size-chart-${size}-chest`), String(96 + i * 4));
      await merchant.fill(tid(`size-chart-${size}-length`), String(66 + i * 2));
    }
    await merchant.click(tid('fit-regular'));
    await shot(merchant, 'merchant-01-product-form');
    await merchant.click(tid('product-submit'));
    await merchant.waitForSelector(`${tid('merchant-product-title')}:has-text("${TITLE}")`);
    await shot(merchant, 'merchant-02-products');
  });

  it('a buyer finds the product, picks size and colour, checks out and pays', async () => {
    await buyer.goto(`${server.url}/`);
    await buyer.waitForSelector(tid('product-card'));
    await shot(buyer, 'buyer-01-home');
    await buyer.fill(tid('search-input'), TITLE);
    await buyer.click(tid('search-submit'));
    await buyer.waitForSelector(`${tid('product-card')}:has-text("${TITLE}")`);
    await buyer.click(`${tid('product-card')}:has-text("${TITLE}")`);
    await buyer.waitForSelector(tid('product-detail'));
    const visitorFen = await quotedFen(buyer);
    expect(visitorFen).toBeGreaterThan(0);
    expect(visitorFen).toBeLessThanOrEqual(5990);
    await buyer.waitForFunction(
      ([sel, text]) => document.querySelector(sel)?.textContent?.includes(text) ?? false,
      [tid('product-price'), formatFen(visitorFen)] as const,
    );
    await buyer.click(`${tid('size-option')}[data-value="M"]`);
    await buyer.click(`${tid('color-option')}[data-value="黑色"]`);
    await shot(buyer, 'buyer-02-product');
    await buyer.click(tid('buy-now'));
    await signIn(buyer, '13600000003');
    await buyer.waitForSelector(tid('product-detail'));
    // Signed in, the buyer's own coupons decide: checkout must show what the server quotes them.
    const buyerFen = await quotedFen(buyer);
    await buyer.click(`${tid('size-option')}[data-value="M"]`);
    await buyer.click(`${tid('color-option')}[data-value="黑色"]`);
    await buyer.click(tid('buy-now'));
    await buyer.waitForSelector(tid('address-name'));
    await buyer.fill(tid('address-name'), '张三');
    await buyer.fill(tid('address-phone'), '13600000003');
    await buyer.click(tid('address-region'));
    for (const region of ['浙江省', '嘉兴市', '桐乡市']) {
      await buyer.click(`.adm-cascader-view-item:has-text("${region}") >> visible=true`);
    }
    await buyer.click('.adm-cascader-header-button:last-child');
    await buyer.fill(tid('address-detail'), '乌镇石佛南路 18 号');
    await buyer.waitForFunction(
      ([sel, text]) => document.querySelector(sel)?.textContent?.includes(text) ?? false,
      [tid('checkout-total'), formatFen(buyerFen)] as const,
    );
    await shot(buyer, 'buyer-03-checkout');
    await buyer.click(tid('checkout-submit'));
    await buyer.waitForSelector(tid('pay-button'));
    await buyer.click(tid('pay-button'));
    await buyer.waitForSelector(`${tid('pay-status')}[data-status="paid"]`, { timeout: 30_000 });
    await shot(buyer, 'buyer-04-paid');
    await buyer.click(tid('view-orders'));
    await buyer.waitForSelector(`${tid('order-status')}[data-status="paid"]`);
  });

  it('the merchant ships the order; the buyer sees it delivered and confirms receipt', async () => {
    await merchant.click(tid('nav-orders'));
    await merchant.waitForSelector(tid('ship-button'));
    await merchant.click(tid('ship-button'));
    await merchant.fill(tid('ship-tracking'), 'SF1234567890');
    await merchant.click(tid('ship-submit'));
    await merchant.waitForSelector(`${tid('merchant-order-status')}[data-status="shipped"]`);
    await shot(merchant, 'merchant-03-shipped');

    await buyer.goto(`${server.url}/orders`);
    await buyer.click(tid('order-card'));
    // The sandbox carrier reports delivery after SANDBOX_DELIVERY_SECONDS; the page refreshes itself.
    await buyer.waitForSelector(`${tid('order-status')}[data-status="delivered"]`, { timeout: 30_000 });
    await buyer.click(tid('confirm-receipt'));
    await buyer.click(tid('dialog-confirm'));
    await buyer.waitForSelector(`${tid('order-status')}[data-status="completed"]`);
    await shot(buyer, 'buyer-05-completed');
    // Asked how it fit once, in the review (one question, not two); the answer is still there after a
    // reload (kept by the server).
    expect(await buyer.locator(tid('fit-feedback')).count()).toBe(0);
    await buyer.click(tid('line-review-write'));
    await buyer.tap(`${tid('review-rating')} .adm-rate-star[aria-label="5"]`);
    await buyer.click(tid('review-fit-small'));
    await buyer.click(tid('review-submit'));
    await buyer.waitForSelector(`${tid('fit-feedback-answer')}[data-fit="small"]`);
    await buyer.reload();
    await buyer.waitForSelector(`${tid('fit-feedback-answer')}[data-fit="small"]`);
    expect(await buyer.locator(tid('line-review-write')).count()).toBe(0);
  });

  it('the operator sees the ledger balanced at ¥0.00', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const ops = await context.newPage();
    await ops.goto(`${server.url}/ops`);
    await signIn(ops, '13900000000');
    await ops.waitForSelector(tid('ops-overview'));
    await ops.click(tid('nav-ledger'));
    await ops.waitForSelector(tid('trial-balance-total'));
    expect(await ops.getAttribute(tid('trial-balance-total'), 'data-zero')).toBe('true');
    expect(await ops.textContent(tid('trial-balance-total'))).toContain('¥0.00');
    await shot(ops, 'ops-01-ledger');
    await context.close();
    expect(pageErrors).toEqual([]);
  });
});
