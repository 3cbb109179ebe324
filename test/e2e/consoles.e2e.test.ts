import type { Browser, BrowserContext, Cookie, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuilt } from '../../src/web-build.ts';
import { type ServerProcess, scratchDir, startServer } from '../support/server-process.ts';
import {
  chartsSettled,
  consoleContext,
  type Lang,
  launchBrowser,
  phoneContext,
  shot,
  shotsDir,
  signIn,
  tid,
} from './browser.ts';

/**
 * The merchant and ops consoles as a new user meets them, in zh-CN and English, against a real
 * server with the demo data: the merchant dashboard's figures and 30-day trend, the ledger by
 * account name with debit and credit, the phone layout's menu button clear of the page title, and
 * chart card titles that fit their cards at desktop and phone widths.
 */

const LANGS: Lang[] = ['zh-CN', 'en'];
const MERCHANT = '13700000001';
const OPERATOR = '13900000000';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Card titles on the page that do not fit their box (antd cuts them with an ellipsis). */
async function clippedCardTitles(page: Page): Promise<string[]> {
  return page.$$eval('.ant-card-head-title', (els) =>
    els
      .filter((el) => el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)
      .map((el) => el.textContent ?? ''),
  );
}

/** How many pixels the page is wider than the window (0 when nothing pushes it sideways). */
async function pageOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** Waits (a bounded number of animation frames) until the menu drawer has slid in to the left edge. */
async function drawerSlidIn(page: Page): Promise<void> {
  const inPlace = await page.evaluate(async () => {
    for (let f = 0; f < 300; f += 1) {
      const drawer = document.querySelector('.ant-drawer-content-wrapper');
      if (drawer && Math.abs(drawer.getBoundingClientRect().left) < 0.5) return true;
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    return false;
  });
  expect(inPlace, 'the menu drawer did not open').toBe(true);
}

describe('consoles in the browser', () => {
  let server: ServerProcess;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  /** Session cookies by phone: each account signs in once (SMS codes are rate limited per phone). */
  const sessions = new Map<string, Cookie[]>();

  async function open(lang: Lang, phone: string, url: string, mobile = false): Promise<Page> {
    const context = mobile ? await phoneContext(browser, lang) : await consoleContext(browser, lang);
    contexts.push(context);
    const session = sessions.get(phone);
    if (session) await context.addCookies(session);
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${server.url}${url}`);
    if (!session) {
      await signIn(page, phone);
      await page.waitForSelector('.c-page-title');
      sessions.set(phone, await context.cookies());
    }
    return page;
  }

  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startServer({ DATA_DIR: scratchDir('gravity-e2e-consoles') }, 300_000);
    browser = await launchBrowser();
    console.log(`screenshots: ${shotsDir}`);
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.kill();
  });

  for (const lang of LANGS) {
    it(`merchant dashboard (${lang}): orders to ship with a link, today's figures and the 30-day trend`, async () => {
      const page = await open(lang, MERCHANT, '/merchant');
      const trend = page.locator(`${tid('dashboard-trend')}:not([data-state="loading"])`);
      await trend.waitFor();
      const expected = (await (await page.request.get(`${server.url}/api/v1/merchant/dashboard`)).json()) as {
        toShip: number;
        todayGmvFen: number;
        todayOrders: number;
        daily: Array<{ orders: number }>;
      };
      expect(expected.daily).toHaveLength(30);
      expect(await page.textContent(tid('dashboard-to-ship-count'))).toBe(String(expected.toShip));
      expect(await page.textContent(tid('dashboard-today-gmv'))).toBe(String(expected.todayGmvFen));
      expect(await page.textContent(tid('dashboard-today-orders'))).toBe(String(expected.todayOrders));
      const sold = expected.daily.some((d) => d.orders > 0);
      expect(await trend.getAttribute('data-state')).toBe(sold ? 'chart' : 'empty');
      // the demo data sells in the two weeks before it was seeded
      expect(sold).toBe(true);
      await page.waitForSelector(`${tid('dashboard-trend')} canvas`);
      expect(await clippedCardTitles(page)).toEqual([]);
      await chartsSettled(page);
      await shot(page, `merchant-dashboard-${lang}`);

      await page.click(tid('dashboard-to-ship-link'));
      await page.waitForURL(/\/merchant\/orders\?status=paid/);

      // the product form's first card names what it holds, not the menu entry
      await page.click(tid('nav-products'));
      await page.click(`${tid('edit-product')} >> nth=0`);
      const details = page.locator(`${tid('product-details-card')} .ant-card-head-title`);
      await details.waitFor();
      expect(await details.textContent()).toBe(lang === 'en' ? 'Product details' : '商品信息');
      await shot(page, `merchant-product-edit-${lang}`);
    });

    it(`ops ledger (${lang}): store and platform account names, debit and credit, localized kinds`, async () => {
      const page = await open(lang, OPERATOR, '/ops/ledger');
      await page.waitForSelector(tid('ledger-kind'));
      await page.waitForSelector(`${tid('ledger-accounts')} ${tid('ledger-account')}`);
      const text = await page.textContent(tid('ops-ledger'));
      // raw account ids only in the hover title, never on the page
      expect(text).not.toMatch(/merchant_payable|provider_clearing|order_escrow|platform_revenue/);
      const names = await page.$$eval(`${tid('ledger-accounts')} ${tid('ledger-account')}`, (els) =>
        els.map((e) => ({ id: e.getAttribute('data-account') ?? '', name: e.textContent ?? '' })),
      );
      const payables = names.filter((n) => n.id.startsWith('merchant_payable:'));
      expect(payables.length).toBeGreaterThan(0);
      const stores = (await (
        await page.request.get(`${server.url}/api/v1/ops/merchants?pageSize=50`)
      ).json()) as {
        items: Array<{ id: string; name: string }>;
      };
      for (const p of payables) {
        const store = stores.items.find((s) => p.id === `merchant_payable:${s.id}`);
        expect(store, p.id).toBeDefined();
        expect(p.name).toContain(store?.name);
      }
      const headers = await page.$$eval('th', (els) => els.map((e) => e.textContent ?? ''));
      const [debit, credit] = lang === 'en' ? ['Debit', 'Credit'] : ['借方', '贷方'];
      expect(headers).toEqual(expect.arrayContaining([debit, credit]));
      const kinds = await page.$$eval(tid('ledger-kind'), (els) =>
        els.map((e) => ({ kind: e.getAttribute('data-kind'), text: e.textContent ?? '' })),
      );
      const label: Record<string, string> =
        lang === 'en'
          ? { payment: 'Payment', settlement: 'Settlement on receipt', refund: 'Refund' }
          : { payment: '支付收款', settlement: '确认收货结算', refund: '退款' };
      for (const k of kinds) expect(k.text).toBe(label[k.kind ?? '']);
      await shot(page, `ops-ledger-${lang}`);
      await page.locator(tid('ledger-kind')).first().scrollIntoViewIfNeeded();
      await shot(page, `ops-ledger-transactions-${lang}`);
    });

    it(`ops overview and size charts (${lang}): chart titles fit their cards at desktop width`, async () => {
      const page = await open(lang, OPERATOR, '/ops');
      await page.waitForSelector(`${tid('orders-by-status-chart')} canvas`);
      expect(await clippedCardTitles(page)).toEqual([]);
      await chartsSettled(page);
      await shot(page, `ops-overview-${lang}`);
      await page.click(tid('nav-size-metrics'));
      await page.waitForSelector(`${tid('size-metrics-chart')} canvas`);
      expect(await clippedCardTitles(page)).toEqual([]);
      await chartsSettled(page);
      await page.locator(tid('size-metrics-chart')).first().scrollIntoViewIfNeeded();
      await shot(page, `ops-size-metrics-${lang}`);

      // list totals say what the number counts
      await page.click(tid('nav-merchants'));
      await page.waitForSelector(tid('ops-merchants-row'));
      const total = page.locator(tid('ops-merchants-total'));
      await total.waitFor();
      const { total: merchants } = (await (
        await page.request.get(`${server.url}/api/v1/ops/merchants?pageSize=1`)
      ).json()) as { total: number };
      expect(await total.textContent()).toBe(lang === 'en' ? `${merchants} in all` : `共 ${merchants} 条`);
      await shot(page, `ops-merchants-${lang}`);
    });

    for (const app of ['merchant', 'ops'] as const) {
      it(`${app} console at 390 px (${lang}): the menu button does not cover the page title`, async () => {
        const page = await open(lang, app === 'merchant' ? MERCHANT : OPERATOR, `/${app}`, true);
        const button = page.locator(tid('menu-button'));
        const title = page.locator('.c-page-title');
        await button.waitFor();
        await title.waitFor();
        const buttonBox = await button.boundingBox();
        const titleBox = await title.boundingBox();
        expect(buttonBox).not.toBeNull();
        expect(titleBox).not.toBeNull();
        expect(overlaps(buttonBox as Box, titleBox as Box)).toBe(false);
        await page.waitForSelector('canvas');
        await chartsSettled(page);
        await shot(page, `${app}-mobile-menu-${lang}`);
        // the button opens the menu, and a menu entry takes the user there
        await button.click();
        const entry = page.locator(tid(app === 'merchant' ? 'nav-orders' : 'nav-ledger'));
        await entry.waitFor();
        await drawerSlidIn(page);
        await shot(page, `${app}-mobile-menu-open-${lang}`);
        await entry.click();
        await page.waitForURL(app === 'merchant' ? /\/merchant\/orders/ : /\/ops\/ledger/);
        await page.locator('.c-page-title').waitFor();
        expect(await clippedCardTitles(page)).toEqual([]);
        // wide tables and the status filter scroll inside the page, which stays phone-wide
        await page.waitForSelector(app === 'merchant' ? tid('merchant-order-row') : tid('ledger-kind'));
        expect(await pageOverflow(page)).toBe(0);
        if (app === 'merchant') {
          // every column keeps a readable width, so an order row is a few lines, not a word per line
          // (a squeezed items column made rows over 400 px tall)
          const heights = await page.$$eval(tid('merchant-order-row'), (rows) =>
            rows.map((r) => r.getBoundingClientRect().height),
          );
          expect(Math.max(...heights)).toBeLessThan(200);
          await shot(page, `merchant-orders-mobile-${lang}`);
        } else {
          await page.locator(tid('ledger-kind')).first().scrollIntoViewIfNeeded();
          await shot(page, `ops-ledger-mobile-${lang}`);
        }
        if (app === 'ops') {
          await page.goto(`${server.url}/ops/size-metrics`);
          await page.waitForSelector(`${tid('size-metrics-chart')} canvas`);
          expect(await clippedCardTitles(page)).toEqual([]);
          await chartsSettled(page);
          await page.locator(tid('size-metrics-chart')).first().scrollIntoViewIfNeeded();
          await shot(page, `ops-size-metrics-mobile-${lang}`);
          await page.locator('[data-chart="daily"]').scrollIntoViewIfNeeded();
          await shot(page, `ops-size-metrics-daily-mobile-${lang}`);
          await page.goto(`${server.url}/ops`);
          await page.waitForSelector(`${tid('orders-by-status-chart')} canvas`);
          expect(await clippedCardTitles(page)).toEqual([]);
          await chartsSettled(page);
          await page.locator(tid('orders-by-status-chart')).scrollIntoViewIfNeeded();
          await shot(page, `ops-overview-mobile-${lang}`);
        } else {
          await page.goto(`${server.url}/merchant`);
          await page.waitForSelector(`${tid('dashboard-trend')}:not([data-state="loading"])`);
          expect(await clippedCardTitles(page)).toEqual([]);
        }
      });
    }
  }

  it('no page threw', () => {
    expect(pageErrors).toEqual([]);
  });
});
