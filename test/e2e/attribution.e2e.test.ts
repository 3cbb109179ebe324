import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuilt } from '../../src/web-build.ts';
import { type ServerProcess, scratchDir, startServer } from '../support/server-process.ts';
import { launchBrowser, phoneContext, shot, signIn, tid } from './browser.ts';

/**
 * The buyer URL contract (issue 13): a product page opened with `?from=<channel>&imp=…&content=…`
 * sends that attribution with add-to-cart (the cart line keeps it) and passes it on to buy-now's
 * checkout; search and store cards link with `from=search` / `from=store`. In Chromium against a
 * real server with the demo data.
 */
describe('attribution in the buyer app', () => {
  let server: ServerProcess;
  let browser: Browser;
  let buyer: Page;
  const pageErrors: string[] = [];
  const clip = '0b6a3c1e-5d2f-4a8b-9c7d-333333333333';

  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startServer({ DATA_DIR: scratchDir('gravity-e2e-attribution') }, 180_000);
    browser = await launchBrowser();
    buyer = await (await phoneContext(browser, 'zh-CN')).newPage();
    buyer.on('pageerror', (e) => pageErrors.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.kill();
  });

  /** Picks the first size and colour offered (a product with one of each has them picked already). */
  const pickSku = async () => {
    for (const opt of ['size-option', 'color-option']) {
      const first = buyer.locator(`${tid(opt)}:not([disabled])`).first();
      if ((await buyer.locator(tid(opt)).count()) > 1) await first.click();
    }
  };

  it('add-to-cart from a video link keeps from=video and the content id on the cart line', async () => {
    const list = await (await fetch(`${server.url}/api/v1/products?pageSize=5&sort=sales`)).json();
    const productId = list.items[0].id as string;
    await buyer.goto(`${server.url}/product/${productId}?from=video&content=${clip}`);
    await buyer.waitForSelector(tid('product-detail'));
    await buyer.click(tid('add-to-cart'));
    await signIn(buyer, '13600000071');
    await buyer.waitForSelector(tid('product-detail'));
    // Signing in came back to the same address, attribution included.
    expect(new URL(buyer.url()).searchParams.get('from')).toBe('video');
    expect(new URL(buyer.url()).searchParams.get('content')).toBe(clip);
    await pickSku();
    await shot(buyer, 'attribution-01-product-from-video');
    const put = buyer.waitForResponse(
      (r) => r.url().includes('/api/v1/cart/items/') && r.request().method() === 'PUT',
    );
    await buyer.click(tid('add-to-cart'));
    const sent = await put;
    expect(sent.status()).toBe(200);
    expect(JSON.parse(sent.request().postData() ?? '{}').attribution).toEqual({
      channel: 'video',
      impressionId: null,
      contentId: clip,
    });
    const cart = await buyer.evaluate(async () => (await fetch('/api/v1/cart')).json());
    expect(cart.lines[0].attribution).toEqual({ channel: 'video', impressionId: null, contentId: clip });
  });

  it('a search card links with from=search, and buy now carries it to the checkout', async () => {
    await buyer.goto(`${server.url}/search?q=${encodeURIComponent('T恤')}`);
    await buyer.waitForSelector(tid('product-card'));
    await buyer.locator(tid('product-card')).first().click();
    await buyer.waitForSelector(tid('product-detail'));
    expect(new URL(buyer.url()).searchParams.get('from')).toBe('search');
    await pickSku();
    await buyer.click(tid('buy-now'));
    await buyer.waitForSelector(tid('checkout-page'));
    expect(new URL(buyer.url()).searchParams.get('from')).toBe('search');
    await buyer.fill(tid('address-name'), '李四');
    await buyer.fill(tid('address-phone'), '13600000071');
    await buyer.click(tid('address-region'));
    for (const region of ['浙江省', '嘉兴市', '桐乡市']) {
      await buyer.click(`.adm-cascader-view-item:has-text("${region}") >> visible=true`);
    }
    await buyer.click('.adm-cascader-header-button:last-child');
    await buyer.fill(tid('address-detail'), '乌镇石佛南路 18 号');
    await buyer.waitForFunction(
      (sel) => /\d/.test(document.querySelector(sel)?.textContent ?? ''),
      tid('checkout-total'),
    );
    await shot(buyer, 'attribution-02-checkout-from-search');
    const placed = buyer.waitForResponse(
      (r) => r.url().endsWith('/api/v1/checkouts') && r.request().method() === 'POST',
    );
    await buyer.click(tid('checkout-submit'));
    const answer = await placed;
    expect(answer.status()).toBe(201);
    const search = { channel: 'search', impressionId: null, contentId: null };
    expect(JSON.parse(answer.request().postData() ?? '{}').lines[0].attribution).toEqual(search);
    const order = (await answer.json()).checkout.orders[0];
    expect(order.lines[0].attribution).toEqual(search);
    expect(order.attribution).toEqual(search);
    await buyer.waitForSelector(tid('pay-button'));
    expect(pageErrors).toEqual([]);
  });
});
