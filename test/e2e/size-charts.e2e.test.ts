import type { Browser, BrowserContext, Cookie, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { merchantPhone, STORES } from '../../src/seed/plan.ts';
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
 * Size charts and the size dashboards in Chromium, on a fresh server with the demo data: the buyer's
 * chart lists sizes in the product's order with every measurement it has; the merchant's editor
 * offers every measurement and saves the brand; the ops and merchant size dashboards, in both languages.
 */

interface Detail {
  id: string;
  storeName: string;
  brand: string;
  sizes: string[];
  sizeChart: Record<string, Record<string, number>>;
}

const LANGS: Lang[] = ['zh-CN', 'en'];

describe('size charts and size dashboards in the browser', () => {
  let server: ServerProcess;
  let browser: Browser;
  let pants: Detail;
  const pageErrors: string[] = [];

  const detail = async (id: string) =>
    ((await (await fetch(`${server.url}/api/v1/products/${id}`)).json()) as { product: Detail }).product;
  const watch = (page: Page) => page.on('pageerror', (e) => pageErrors.push(e.message));
  // One sign-in per account (a second SMS code within the minute is refused): later contexts reuse it.
  const sessions = new Map<string, Cookie[]>();
  const consolePage = async (lang: Lang, app: 'merchant' | 'ops', phone: string, url: string) => {
    const context: BrowserContext = await consoleContext(browser, lang);
    const page = await context.newPage();
    watch(page);
    const cookies = sessions.get(phone);
    if (cookies) await context.addCookies(cookies);
    else {
      await page.goto(`${server.url}/${app}`);
      await signIn(page, phone);
      await page.waitForSelector(tid(app === 'merchant' ? 'merchant-dashboard' : 'ops-overview'));
      sessions.set(phone, await context.cookies());
    }
    await page.goto(`${server.url}${url}`);
    return { context, page };
  };

  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startServer({ DATA_DIR: scratchDir('gravity-e2e-charts') }, 300_000);
    // Men's trousers: letter sizes (which jsonb alone lists as L, M, S, XL) and an inseam.
    const res = await fetch(`${server.url}/api/v1/products?categoryId=men-pants&pageSize=50`);
    for (const card of ((await res.json()) as { items: Array<{ id: string }> }).items) {
      const p = await detail(card.id);
      if (p.sizes.includes('S') && p.sizes.includes('XL')) {
        pants = p;
        break;
      }
    }
    browser = await launchBrowser();
    console.log(`screenshots: ${shotsDir}`);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.kill();
  });

  it('the buyer sees the chart in the product’s size order, with inseam', async () => {
    expect(pants).toBeDefined();
    for (const lang of LANGS) {
      const context = await phoneContext(browser, lang);
      const page = await context.newPage();
      watch(page);
      await page.goto(`${server.url}/product/${pants.id}`);
      const table = page.locator(tid('size-chart'));
      await table.waitFor();
      const rowSizes = await table.locator('tbody tr td:first-child').allTextContents();
      expect(rowSizes).toEqual(pants.sizes);
      const headers = await table.locator('thead th').allTextContents();
      expect(headers).toContain(lang === 'en' ? 'Inseam' : '内裆长');
      expect(headers).toHaveLength(1 + 4); // size, waist, hip, length, inseam: no empty column
      await table.scrollIntoViewIfNeeded();
      await shot(page, `buyer-size-chart-${lang}`);
      await context.close();
    }
  });

  it('the merchant edits every measurement of the chart and the brand, and both are saved', async () => {
    const store = STORES.findIndex((s) => s.name === pants.storeName);
    expect(store).toBeGreaterThanOrEqual(0);
    for (const lang of LANGS) {
      const { context, page } = await consolePage(
        lang,
        'merchant',
        merchantPhone(store + 1),
        `/merchant/products/${pants.id}/edit`,
      );
      await page.waitForSelector(tid('size-chart-editor'));
      const first = pants.sizes[0] as string;
      for (const zone of ['chest', 'waist', 'hip', 'shoulder', 'length', 'inseam'])
        expect(await page.locator(tid(`size-chart-${first}-${zone}`)).count()).toBe(1);
      const brand = `新线${lang === 'en' ? 'EN' : 'ZH'}`;
      const inseam = (pants.sizeChart[first]?.inseam ?? 80) + (lang === 'en' ? 1 : 0.5);
      await page.fill(tid('product-brand'), brand);
      await page.fill(tid(`size-chart-${first}-inseam`), String(inseam));
      await page.locator(tid('size-chart-editor')).scrollIntoViewIfNeeded();
      await shot(page, `merchant-product-edit-${lang}`);
      await page.click(tid('product-submit'));
      await page.waitForSelector(tid('merchant-product-row'));
      const saved = await detail(pants.id);
      expect(saved.brand).toBe(brand);
      expect(saved.sizeChart[first]).toMatchObject({ inseam });
      expect(Object.keys(saved.sizeChart)).toEqual(pants.sizes);
      await context.close();
    }
  });

  it('the size dashboards count fit only for what was sold', async () => {
    for (const lang of LANGS) {
      const { context, page: ops } = await consolePage(lang, 'ops', '13900000000', '/ops/size-metrics');
      await ops.waitForSelector(`${tid('size-metrics-chart')} canvas`);
      await chartsSettled(ops);
      await shot(ops, `ops-size-metrics-${lang}`);
      await context.close();

      const { context: merchantContext, page: merchant } = await consolePage(
        lang,
        'merchant',
        merchantPhone(1),
        '/merchant/size-insights',
      );
      await merchant.waitForSelector(tid('size-insights-row'));
      const insights = (await merchant.evaluate(async () => {
        const res = await fetch('/api/v1/merchant/size-insights');
        return res.json();
      })) as { items: Array<{ purchasedLines: number; feedback: { total: number } }> };
      for (const item of insights.items) expect(item.feedback.total).toBeLessThanOrEqual(item.purchasedLines);
      await shot(merchant, `merchant-size-insights-${lang}`);
      await merchantContext.close();
    }
    expect(pageErrors).toEqual([]);
  });
});
