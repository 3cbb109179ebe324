import {
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type Cookie,
  type Page,
  request,
} from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuilt } from '../../src/web-build.ts';
import { formatFen } from '../../web/src/money.ts';
import { type ServerProcess, scratchDir, startServer } from '../support/server-process.ts';
import {
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
 * The traffic engine as its three users meet it, against a real server with the demo data:
 * the buyer's home feed comes from `GET /feed` (cards with the final price, more as they scroll), a
 * card opens the product page with its attribution in the address (`?from=feed&imp=<impression>`)
 * and the click is recorded once; the merchant sees the store's traffic by source in a chart and a
 * table beside its plans; the operator changes a plan setting and sees cold-start coverage.
 */

const OPERATOR = '13900000000';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface FeedCard {
  impressionId: string;
  kind: string;
  productId: string | null;
  storeId: string;
  priceFen: number;
  title: string;
}

describe('the traffic engine in the browser', () => {
  let server: ServerProcess;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const apis: APIRequestContext[] = [];
  const pageErrors: string[] = [];
  /** Session cookies by phone: each account signs in once (SMS codes are rate limited per phone). */
  const sessions = new Map<string, Cookie[]>();
  /** The product card the buyer clicked, from the feed's answer. */
  let clicked: FeedCard | undefined;

  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startServer({ DATA_DIR: scratchDir('gravity-e2e-traffic') }, 180_000);
    browser = await launchBrowser();
    console.log(`screenshots: ${shotsDir}`);
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    for (const a of apis) await a.dispose().catch(() => undefined);
    await browser?.close();
    await server?.kill();
  });

  /** An API client signed in as `phone` (the sandbox SMS code is in the answer outside production). */
  async function apiAs(phone: string, role: 'operator'): Promise<APIRequestContext> {
    const api = await request.newContext({ baseURL: server.url, extraHTTPHeaders: { origin: server.url } });
    apis.push(api);
    const sent = await api.post('/api/v1/auth/sms-code', { data: { phone } });
    expect(sent.ok(), await sent.text()).toBe(true);
    const { sandboxCode } = (await sent.json()) as { sandboxCode: string };
    const signed = await api.post('/api/v1/auth/sign-in', { data: { phone, code: sandboxCode, role } });
    expect(signed.ok(), await signed.text()).toBe(true);
    sessions.set(phone, (await api.storageState()).cookies as Cookie[]);
    return api;
  }

  /** A console page at `url` signed in as `phone` (once per phone; later pages reuse the cookies). */
  async function consolePage(lang: Lang, phone: string, url: string): Promise<Page> {
    const context = await consoleContext(browser, lang);
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

  async function buyerPage(lang: Lang): Promise<Page> {
    const context = await phoneContext(browser, lang);
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    return page;
  }

  const isFeedPage = (url: string) => new URL(url).pathname === '/api/v1/feed';

  for (const lang of ['zh-CN', 'en'] as Lang[]) {
    it(`the buyer's home shows the engine's feed, with final prices, page after page (${lang})`, async () => {
      const page = await buyerPage(lang);
      const first = page.waitForResponse((r) => isFeedPage(r.url()) && r.request().method() === 'GET');
      await page.goto(`${server.url}/`);
      const answer = (await (await first).json()) as { items: FeedCard[]; nextCursor: string | null };
      expect(answer.items.length).toBeGreaterThanOrEqual(4);
      await page.waitForSelector(`${tid('home-feed')} ${tid('product-card')}`);

      // Every card is one impression of the answer, in its order, linking with its attribution.
      const cards = await page.$$eval(`${tid('home-feed')} ${tid('product-card')}`, (els) =>
        els.map((el) => ({
          href: el.getAttribute('href') ?? '',
          impressionId: el.getAttribute('data-impression-id'),
          price: el.querySelector('[data-testid="product-card-price"]')?.textContent ?? '',
        })),
      );
      const shown = answer.items.filter((i) => i.productId !== null);
      expect(cards.slice(0, shown.length).map((c) => c.impressionId)).toEqual(
        shown.map((i) => i.impressionId),
      );
      for (const [i, card] of cards.slice(0, shown.length).entries()) {
        const item = shown[i] as FeedCard;
        const url = new URL(card.href, server.url);
        expect(url.pathname).toBe(`/product/${item.productId}`);
        expect(url.searchParams.get('from')).toBe('feed');
        expect(url.searchParams.get('imp')).toBe(item.impressionId);
        expect(item.impressionId).toMatch(UUID);
        expect(card.price).toBe(formatFen(item.priceFen));
      }
      await shot(page, `traffic-buyer-feed-${lang}`);

      // Scrolling to the end asks for the next page with the feed's cursor: new items, none twice.
      if (answer.nextCursor) {
        const next = page.waitForResponse((r) => isFeedPage(r.url()) && r.url().includes('cursor='));
        await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
        const nextUrl = new URL((await next).url());
        expect(nextUrl.searchParams.get('cursor')).toBe(answer.nextCursor);
        await page.waitForFunction(
          ([sel, n]) => document.querySelectorAll(sel as string).length > (n as number),
          [`${tid('home-feed')} ${tid('product-card')}`, cards.length] as const,
        );
        const ids = await page.$$eval(`${tid('home-feed')} ${tid('product-card')}`, (els) =>
          els.map((el) => el.getAttribute('data-impression-id')),
        );
        expect(new Set(ids).size).toBe(ids.length);
      }
    });
  }

  it('the home feed says when it is empty, and offers a retry when it fails', async () => {
    const page = await buyerPage('zh-CN');
    let fail = true;
    await page.route('**/api/v1/feed?**', (route) =>
      fail
        ? route.fulfill({
            status: 503,
            json: { error: { code: 'database_unavailable', message: 'The database is unavailable' } },
          })
        : route.fulfill({ json: { items: [], nextCursor: null } }),
    );
    await page.goto(`${server.url}/`);
    await page.waitForSelector(`${tid('home-page')} ${tid('error-message')}`);
    await shot(page, 'traffic-buyer-feed-error-zh-CN');
    fail = false;
    await page.click(tid('retry'));
    await page.waitForSelector(`${tid('home-feed')}[data-state="empty"] ${tid('empty')}`);
    // The rest of home stays usable: search and categories.
    await page.waitForSelector(tid('search-input'));
    await page.waitForSelector(tid('home-category'));
    await shot(page, 'traffic-buyer-feed-empty-zh-CN');
  });

  it('a click on a card opens the product page with the attribution and records the click once', async () => {
    const page = await buyerPage('zh-CN');
    const first = page.waitForResponse((r) => isFeedPage(r.url()) && r.request().method() === 'GET');
    await page.goto(`${server.url}/`);
    const answer = (await (await first).json()) as { items: FeedCard[] };
    clicked = answer.items.find((i) => i.kind === 'product' && i.productId !== null);
    expect(clicked).toBeDefined();
    const item = clicked as FeedCard;
    const card = page.locator(`${tid('product-card')}[data-impression-id="${item.impressionId}"]`);
    await card.waitFor();

    const event = page.waitForRequest(
      (r) => new URL(r.url()).pathname === '/api/v1/feed/events' && r.method() === 'POST',
    );
    await card.click();
    await page.waitForSelector(tid('product-detail'));
    const at = new URL(page.url());
    expect(at.pathname).toBe(`/product/${item.productId}`);
    expect(at.searchParams.get('from')).toBe('feed');
    expect(at.searchParams.get('imp')).toBe(item.impressionId);

    const sent = await event;
    expect(sent.postDataJSON()).toEqual({ impressionId: item.impressionId, kind: 'click' });
    const recorded = await sent.response();
    expect(recorded?.ok()).toBe(true);
    expect(await recorded?.json()).toEqual({ counted: true });
    // The same click again (same viewer: the page's cookies) is not counted twice.
    const again = await page.request.post(`${server.url}/api/v1/feed/events`, {
      data: { impressionId: item.impressionId, kind: 'click' },
      headers: { origin: server.url },
    });
    expect(again.ok(), await again.text()).toBe(true);
    expect(await again.json()).toEqual({ counted: false });
    await shot(page, 'traffic-buyer-product-from-feed-zh-CN');

    // Back to home: the same cards as before (the feed is kept for back navigation, not re-ranked).
    await page.goBack();
    await page.waitForSelector(`${tid('product-card')}[data-impression-id="${item.impressionId}"]`);
  });

  it("the merchant whose product was clicked sees the store's traffic by source", async () => {
    const item = clicked as FeedCard;
    expect(item).toBeDefined();
    const ops = await apiAs(OPERATOR, 'operator');
    const merchants = (await (
      await ops.get('/api/v1/ops/merchants', { params: { page: 1, pageSize: 100 } })
    ).json()) as { items: Array<{ id: string; ownerPhone: string }> };
    const owner = merchants.items.find((m) => m.id === item.storeId)?.ownerPhone;
    expect(owner).toBeDefined();

    for (const lang of ['zh-CN', 'en'] as Lang[]) {
      const page = await consolePage(lang, owner as string, '/merchant/traffic');
      await page.waitForSelector(tid('merchant-traffic'));
      // Impressions reach the store's rollup within a flush (a fraction of a second): refresh a bounded
      // number of times until the chart has them.
      for (let tries = 0; tries < 40; tries += 1) {
        const state = await page.getAttribute(tid('traffic-chart'), 'data-state');
        if (state === 'chart') break;
        await page.click(tid('traffic-refresh-merchant'));
        await page.waitForFunction(
          (sel) => document.querySelector(sel)?.getAttribute('data-state') !== 'loading',
          tid('traffic-chart'),
        );
      }
      await page.waitForSelector(`${tid('traffic-chart')}[data-state="chart"] canvas`);
      expect(await page.getAttribute(tid('traffic-chart'), 'data-days')).toBe('14');
      const rows = await page.$$eval(tid('traffic-source-row'), (els) =>
        els.map((el) => ({
          source: el.getAttribute('data-source'),
          impressions: Number(el.getAttribute('data-impressions')),
        })),
      );
      expect(rows.map((r) => r.source)).toEqual(['organic', 'cold_start', 'launch', 'fuyao', 'fan_growth']);
      expect(rows.reduce((a, r) => a + r.impressions, 0)).toBeGreaterThan(0);
      await page.waitForSelector(tid('plan-cold-start'));
      await page.waitForSelector(tid('plan-launch'));
      await page.waitForSelector(`${tid('plan-fuyao')} ${tid('fuyao-status')}`);
      await shot(page, `traffic-merchant-${lang}`);
      await page.screenshot({ path: `${shotsDir}/traffic-merchant-full-${lang}.png`, fullPage: true });
    }

    // On a phone the page fits its width: nothing pushes it sideways.
    const context = await phoneContext(browser, 'zh-CN');
    contexts.push(context);
    await context.addCookies(sessions.get(owner as string) ?? []);
    const phone = await context.newPage();
    phone.on('pageerror', (e) => pageErrors.push(e.message));
    await phone.goto(`${server.url}/merchant/traffic`);
    await phone.waitForSelector(`${tid('traffic-chart')}[data-state="chart"] canvas`);
    const overflow = await phone.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(phone, 'traffic-merchant-phone-zh-CN');
  });

  it('the operator changes a plan setting and sees cold-start coverage', async () => {
    for (const lang of ['zh-CN', 'en'] as Lang[]) {
      const page = await consolePage(lang, OPERATOR, '/ops/traffic');
      await page.waitForSelector(tid('ops-traffic'));
      await page.waitForSelector(`${tid('coverage-chart')}:not([data-state="loading"])`);
      expect(await page.getAttribute(tid('coverage-chart'), 'data-days')).toBe('14');
      await page.waitForSelector(tid('setting-minDailyImpressions'));

      // zh-CN: the demo stores opened weeks ago; a year of "new store" days puts them back in cold
      // start, so today has new stores with a minimum and a coverage to show. en: the minimum changes.
      const changes: Array<[string, string]> =
        lang === 'zh-CN'
          ? [
              ['setting-newStoreDays', '365'],
              ['setting-minDailyImpressions', '150'],
            ]
          : [['setting-minDailyImpressions', '160']];
      for (const [field, value] of changes) await page.fill(tid(field), value);
      const saved = page.waitForResponse(
        (r) => new URL(r.url()).pathname === '/api/v1/ops/traffic/settings' && r.request().method() === 'PUT',
      );
      await page.click(tid('traffic-settings-save'));
      const answer = await saved;
      expect(answer.ok(), await answer.text()).toBe(true);
      const settings = ((await answer.json()) as { settings: Record<string, number> }).settings;
      expect(settings.coldStartMinDailyImpressions).toBe(lang === 'zh-CN' ? 150 : 160);
      expect(settings.newStoreDays).toBe(365);
      await page.waitForSelector('.ant-message-success');

      // Read back from the server, as a fresh page shows it: the settings, and today's coverage of the
      // stores that are new now (a chart with its 99% goal line).
      await page.reload();
      await page.waitForSelector(tid('setting-minDailyImpressions'));
      expect(await page.inputValue(tid('setting-minDailyImpressions'))).toBe(
        lang === 'zh-CN' ? '150' : '160',
      );
      expect(await page.inputValue(tid('setting-newStoreDays'))).toBe('365');
      await page.waitForSelector(`${tid('coverage-chart')}[data-state="chart"] canvas`);
      const coverage = await page.textContent(tid('coverage-last'));
      expect(coverage).not.toBe('');
      expect(Number(coverage)).toBeGreaterThanOrEqual(0);
      expect(Number(coverage)).toBeLessThanOrEqual(1);
      await page.waitForSelector(`${tid('plan-budgets')} ${tid('plan-budget-row')}[data-plan="cold_start"]`);
      expect(await page.locator(`${tid('store-in-plan')}[data-plan="cold_start"]`).count()).toBeGreaterThan(
        0,
      );
      if (lang === 'en') {
        // Launch credits by hand: a store from the merchants list, a number of impressions.
        await page.click(`${tid('grant-launch')} .ant-select`);
        await page.click('.ant-select-dropdown .ant-select-item-option >> nth=0');
        await page.fill(tid('grant-impressions'), '1000');
        const granted = page.waitForResponse(
          (r) =>
            new URL(r.url()).pathname === '/api/v1/ops/traffic/launch-grants' &&
            r.request().method() === 'POST',
        );
        await page.click(tid('grant-submit'));
        const grant = await granted;
        expect(grant.ok(), await grant.text()).toBe(true);
        expect(((await grant.json()) as { grant: { impressions: number } }).grant.impressions).toBe(1000);
        await page.waitForSelector('.ant-message-success >> nth=0');
      }
      await shot(page, `traffic-ops-${lang}`);
      await page.screenshot({ path: `${shotsDir}/traffic-ops-full-${lang}.png`, fullPage: true });
    }
  });

  it('raised no error in any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
