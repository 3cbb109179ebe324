import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuilt } from '../../src/web-build.ts';
import { type ServerProcess, scratchDir, startServer } from '../support/server-process.ts';
import { type Lang, launchBrowser, phoneContext, shot, shotsDir, signIn, tid } from './browser.ts';

/**
 * The buyer app as a new user meets it (issue 9, "Buyer app"): the order list's sticky tab bar, scroll
 * positions between pages, the 我的 page's order shortcuts, the buyer's words for order statuses, the
 * checkout's address book and region picker, and the pay page's countdown. Both languages.
 */

const LANGS: Lang[] = ['zh-CN', 'en'];

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

describe('buyer app', () => {
  let server: ServerProcess;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startServer({ DATA_DIR: scratchDir('gravity-e2e-buyer') }, 180_000);
    browser = await launchBrowser();
    console.log(`screenshots: ${shotsDir}`);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.kill();
  });

  async function openPage(lang: Lang): Promise<Page> {
    const context = await phoneContext(browser, lang);
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    return page;
  }

  /** A demo buyer signed in, on `next`. */
  async function buyerOn(lang: Lang, phone: string, next: string): Promise<Page> {
    const page = await openPage(lang);
    await page.goto(`${server.url}/login?next=${encodeURIComponent(next)}`);
    await signIn(page, phone);
    await page.waitForURL((u) => u.pathname + u.search === next);
    return page;
  }

  const box = async (page: Page, selector: string): Promise<Box> => {
    const b = await page.locator(selector).first().boundingBox();
    if (!b) throw new Error(`${selector} is not visible`);
    return b;
  };
  const scrollY = (page: Page) => page.evaluate(() => window.scrollY);
  /** Scrolls to `y`, again while the page is still growing to that depth. */
  const scrollTo = (page: Page, y: number) =>
    page.waitForFunction((to) => {
      window.scrollTo(0, to);
      return Math.abs(window.scrollY - to) < 2;
    }, y);

  for (const [i, lang] of LANGS.entries()) {
    it(`${lang}: the order list's tab bar sits right under the nav bar, sticks there, and covers no order`, async () => {
      const page = await buyerOn(lang, `1360000001${i + 1}`, '/orders');
      await page.waitForSelector(tid('order-card'));
      const nav = await box(page, '.b-navbar');
      const tabs = await box(page, '.b-order-tabs');
      const card = await box(page, tid('order-card'));
      expect(Math.abs(tabs.y - (nav.y + nav.height))).toBeLessThanOrEqual(1);
      // The first card's store name and status are below the tab bar, not under it.
      const head = await box(page, `${tid('order-card')} .b-order-head`);
      expect(card.y).toBeGreaterThanOrEqual(tabs.y + tabs.height - 1);
      expect(head.y).toBeGreaterThanOrEqual(tabs.y + tabs.height);
      await shot(page, `buyer-orders-${lang}`);

      // Scrolled, the bar stays under the nav bar (a short window, so that a few orders scroll).
      await page.setViewportSize({ width: 390, height: 320 });
      const room = await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight);
      expect(room).toBeGreaterThan(40);
      await scrollTo(page, room);
      const stuck = await box(page, '.b-order-tabs');
      expect(Math.abs(stuck.y - (nav.y + nav.height))).toBeLessThanOrEqual(1);
    });
  }

  it('a new page opens at the top; back and forward return to where the buyer was', async () => {
    const page = await openPage('zh-CN');
    await page.goto(`${server.url}/`);
    await page.waitForFunction((sel) => document.querySelectorAll(sel).length >= 12, tid('product-card'));
    await scrollTo(page, 1200);
    // Where the buyer is, as what they see: the first product card in view and its distance from the top
    // (content above that loads late moves the pixel offset, and the browser keeps the cards in view).
    const place = await page.evaluate((sel) => {
      const cards = Array.from(document.querySelectorAll<HTMLElement>(sel));
      const first = cards.find((c) => c.getBoundingClientRect().top >= 0) as HTMLElement;
      const place = { id: first.dataset.productId, top: Math.round(first.getBoundingClientRect().top) };
      first.click();
      return place;
    }, tid('product-card'));
    await page.waitForSelector(tid('product-title'));
    expect(await scrollY(page)).toBe(0);

    await scrollTo(page, 300);
    const titleTop = await page.evaluate(
      (sel) => Math.round(document.querySelector(sel)?.getBoundingClientRect().top ?? Number.NaN),
      tid('product-title'),
    );
    const feedRestored = () =>
      page.waitForFunction(
        ({ sel, id, top }) => {
          const card = document.querySelector(`${sel}[data-product-id="${id}"]`);
          return card !== null && Math.abs(card.getBoundingClientRect().top - top) < 2;
        },
        { sel: tid('product-card'), ...place },
      );
    await page.goBack();
    await feedRestored();

    await page.goForward();
    await page.waitForFunction(
      ({ sel, top }) => {
        const title = document.querySelector(sel);
        return title !== null && Math.abs(title.getBoundingClientRect().top - top) < 2;
      },
      { sel: tid('product-title'), top: titleTop },
    );

    // The cart needs a signed-in buyer: sign-in opens at its top, not at the feed's depth.
    await page.goBack();
    await feedRestored();
    expect(await scrollY(page)).toBeGreaterThan(600);
    await page.click(tid('tab-cart'));
    await page.waitForSelector(tid('sign-in-page'));
    expect(await scrollY(page)).toBe(0);
  });

  for (const [i, lang] of LANGS.entries()) {
    it(`${lang}: 我的 shows order shortcuts with icons, labels and counts, and no console links`, async () => {
      const page = await buyerOn(lang, `1360000000${i + 1}`, '/me');
      await page.waitForSelector(tid('me-shortcuts'));
      const counts: Record<string, number> = {};
      // "To receive" is shipped or delivered; "cancelled" includes orders closed unpaid.
      const filters: Record<string, string> = {
        pending_payment: 'pending_payment',
        paid: 'paid',
        shipped: 'shipped,delivered',
        completed: 'completed',
        cancelled: 'cancelled,expired',
      };
      for (const [status, filter] of Object.entries(filters)) {
        const res = await page.request.get(`${server.url}/api/v1/orders?status=${filter}&pageSize=1`);
        counts[status] = ((await res.json()) as { total: number }).total;
      }
      expect(Object.values(counts).some((n) => n > 0)).toBe(true);
      for (const [status, n] of Object.entries(counts)) {
        const shortcut = page.locator(tid(`me-shortcut-${status}`));
        expect(await shortcut.locator('svg').count()).toBe(1);
        expect(
          ((await shortcut.locator('.b-me-shortcut-label').textContent()) ?? '').trim().length,
        ).toBeGreaterThan(0);
        await page.waitForSelector(`${tid(`me-shortcut-${status}`)}[data-count="${n}"]`);
        if (n > 0) expect(await shortcut.textContent()).toContain(String(n));
      }
      // No way to the ops console; the merchant console only as a discreet "open a store".
      const links = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')));
      expect(links.filter((h) => h?.startsWith('/ops'))).toEqual([]);
      expect(await page.locator(tid('me-ops-console')).count()).toBe(0);
      const body = await page.textContent('body');
      expect(body).not.toMatch(lang === 'en' ? /ops console/i : /运营后台/);
      expect(await page.locator(tid('me-open-store')).count()).toBe(1);
      await shot(page, `buyer-me-${lang}`);

      // "To receive" when there is one (it lists two statuses), else the first shortcut with orders.
      const target =
        (counts.shipped ?? 0) > 0
          ? 'shipped'
          : (Object.entries(counts).find(([, n]) => n > 0)?.[0] as string);
      await page.click(tid(`me-shortcut-${target}`));
      await page.waitForURL((u) => u.pathname === '/orders' && u.searchParams.get('status') === target);
      await page.waitForSelector(tid('order-card'));
      const statuses = await page.$$eval(tid('order-status'), (els) =>
        els.map((e) => e.getAttribute('data-status')),
      );
      expect(statuses.length).toBeGreaterThan(0);
      for (const status of statuses) expect(filters[target]?.split(',')).toContain(status);
    });
  }

  it('order statuses are in the buyer words of each language', async () => {
    const expected: Record<Lang, Record<string, string>> = {
      'zh-CN': { pending_payment: '待付款', paid: '待发货', shipped: '待收货', completed: '已完成' },
      en: { pending_payment: 'To pay', paid: 'To ship', shipped: 'To receive', completed: 'Completed' },
    };
    for (const [i, lang] of LANGS.entries()) {
      const page = await buyerOn(lang, `1360000001${i + 3}`, '/orders');
      for (const [status, label] of Object.entries(expected[lang])) {
        expect(((await page.textContent(tid(`orders-tab-${status}`))) ?? '').trim()).toBe(label);
      }
    }
  });

  /** A product on sale with stock, and one of its SKUs. */
  async function anSku(): Promise<{ productId: string; skuId: string }> {
    const res = await fetch(`${server.url}/api/v1/products?pageSize=20`);
    for (const card of ((await res.json()) as { items: Array<{ id: string }> }).items) {
      const detail = await fetch(`${server.url}/api/v1/products/${card.id}`);
      const { product } = (await detail.json()) as {
        product: { skus: Array<{ id: string; stock: number }> };
      };
      const sku = product.skus.find((s) => s.stock > 5);
      if (sku) return { productId: card.id, skuId: sku.id };
    }
    throw new Error('no product with stock');
  }

  for (const [i, lang] of LANGS.entries()) {
    it(`${lang}: checkout picks the region from a cascade, keeps the address across back, forward and reload, saves it to the address book; pay counts down`, async () => {
      const { productId, skuId } = await anSku();
      const checkoutPath = `/checkout?product=${productId}&sku=${skuId}&qty=1`;
      const page = await buyerOn(lang, `1360000001${i + 5}`, `/product/${productId}`);
      await page.waitForSelector(tid('product-detail'));
      await page.evaluate((to) => {
        window.history.pushState(window.history.state, '', to);
        window.dispatchEvent(new PopStateEvent('popstate'));
      }, checkoutPath);
      await page.waitForSelector(tid('address-form'));

      await page.fill(tid('address-name'), '李雷');
      await page.fill(tid('address-phone'), '13912345678');
      await page.click(tid('address-region'));
      for (const name of ['浙江省', '杭州市', '西湖区']) {
        await page.click(`.adm-cascader-view-item:has-text("${name}") >> visible=true`);
      }
      await shot(page, `buyer-checkout-${lang}`);
      await page.click('.adm-cascader-header-button:last-child');
      await page.waitForFunction(
        (sel) => document.querySelector(sel)?.textContent?.includes('浙江省 杭州市 西湖区'),
        tid('address-region'),
      );
      await page.fill(tid('address-detail'), '文三路 90 号');

      const kept = async () => {
        await page.waitForSelector(tid('address-form'));
        expect(await page.inputValue(tid('address-name'))).toBe('李雷');
        expect(await page.inputValue(tid('address-phone'))).toBe('13912345678');
        expect(await page.textContent(tid('address-region'))).toContain('浙江省 杭州市 西湖区');
        expect(await page.inputValue(tid('address-detail'))).toBe('文三路 90 号');
      };
      await page.goBack();
      await page.waitForSelector(tid('product-detail'));
      await page.goForward();
      await kept();
      await page.reload();
      await kept();

      await page.click(tid('checkout-submit'));
      await page.waitForSelector(tid('pay-countdown'));
      const first = await page.textContent(tid('pay-countdown'));
      expect(first).toMatch(/\b(1[0-5]|0\d):[0-5]\d\b/);
      await page.waitForFunction(
        ([sel, text]) => document.querySelector(sel as string)?.textContent !== text,
        [tid('pay-countdown'), first],
      );
      await shot(page, `buyer-pay-${lang}`);
      // Each store's order says what its number is: a count of items, not a bare "· 1".
      expect(await page.textContent(tid('pay-order'))).toContain(lang === 'en' ? '1 item(s)' : '共 1 件');
      const checkoutId = new URL(page.url()).pathname.split('/').pop() as string;
      const { checkout } = (await (
        await page.request.get(`${server.url}/api/v1/checkouts/${checkoutId}`)
      ).json()) as { checkout: { orders: { id: string }[] } };
      const orderId = checkout.orders[0]?.id as string;

      // The address went into the address book as the default: the next checkout starts from it.
      await page.goto(`${server.url}${checkoutPath}`);
      await page.waitForSelector(tid('address-selected'));
      expect(await page.textContent(tid('address-selected'))).toContain('文三路 90 号');
      await page.click(tid('address-book-open'));
      await page.waitForSelector(tid('address-option'));
      expect(await page.locator(tid('address-option')).count()).toBe(1);
      await shot(page, `buyer-checkout-book-${lang}`);

      // The unpaid order says when it closes; cancelled, it says why in words (not `buyer_cancelled`).
      await page.goto(`${server.url}/orders/${orderId}`);
      await page.waitForSelector(tid('order-pay-by'));
      expect(await page.textContent(tid('order-pay-by'))).not.toContain('payExpiresAt');
      await page.click(tid('cancel-order'));
      await page.click(tid('dialog-confirm'));
      // The toast names what happened, not a generic "Saved".
      await page.waitForSelector(
        `.adm-toast-main:has-text("${lang === 'en' ? 'Order cancelled' : '订单已取消'}")`,
      );
      await page.waitForSelector(tid('order-close-reason'));
      expect(await page.textContent(tid('order-close-reason'))).toBe(
        lang === 'en' ? 'You cancelled this order' : '你已取消订单',
      );
      await shot(page, `buyer-order-cancelled-${lang}`);
    });
  }

  it('no page threw', () => {
    expect(pageErrors).toEqual([]);
  });
});
