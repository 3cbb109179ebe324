import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuilt } from '../../src/web-build.ts';
import { type ServerProcess, scratchDir, startServer } from '../support/server-process.ts';
import { type Lang, launchBrowser, phoneContext, shot, shotsDir, tid } from './browser.ts';

/**
 * The demo shop as a buyer first sees it, with no network beyond the server: home, a category and
 * a product show drawn pictures of the goods (flat-lay garments, packs and fruit), not text tiles.
 */

/** What the browser made of the pictures inside `selector`: loaded, and drawn rather than lettered. */
async function pictures(page: Page, selector: string) {
  return page.$$eval(selector, (imgs) =>
    (imgs as HTMLImageElement[]).map((img) => {
      const src = img.getAttribute('src') ?? '';
      const svg = src.startsWith('data:image/svg+xml,')
        ? new DOMParser().parseFromString(
            decodeURIComponent(src.slice(src.indexOf(',') + 1)),
            'image/svg+xml',
          )
        : null;
      return {
        loaded: img.complete && img.naturalWidth > 0,
        wellFormed: svg !== null && svg.querySelector('parsererror') === null,
        shapes: (svg?.querySelectorAll('path').length ?? 0) > 0,
        lettered: svg === null || svg.querySelector('text') !== null,
      };
    }),
  );
}

/** Waits until the first `count` pictures in `selector` have loaded. */
async function picturesLoaded(page: Page, selector: string, count: number): Promise<void> {
  await page.waitForFunction(
    ([sel, n]) => {
      const imgs = [...document.querySelectorAll(sel as string)].slice(0, n as number) as HTMLImageElement[];
      return imgs.length === n && imgs.every((img) => img.complete && img.naturalWidth > 0);
    },
    [selector, count],
  );
}

const drawn = { loaded: true, wellFormed: true, shapes: true, lettered: false };

describe('the demo looks like a shop', () => {
  let server: ServerProcess;
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startServer({ DATA_DIR: scratchDir('gravity-e2e-shop-look') }, 180_000);
    browser = await launchBrowser();
    console.log(`screenshots: ${shotsDir}`);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.kill();
  });

  it('keeps the home listing light: twenty pictures inline in one page of products', async () => {
    const res = await fetch(`${server.url}/api/v1/products?sort=new&page=1&pageSize=20`);
    const body = await res.text();
    console.log(`home listing: ${body.length} bytes`);
    expect(body.length).toBeLessThan(20 * 3_000 + 10_000);
  });

  for (const lang of ['zh-CN', 'en'] as Lang[]) {
    it(`shows drawn pictures of the goods on home, a category and a product (${lang})`, async () => {
      const context = await phoneContext(browser, lang);
      const page = await context.newPage();
      page.on('pageerror', (e) => pageErrors.push(e.message));

      await page.goto(`${server.url}/`);
      await page.waitForSelector(tid('product-card'));
      await picturesLoaded(page, `${tid('product-card')} img`, 4);
      expect((await pictures(page, `${tid('product-card')} img`)).slice(0, 4)).toEqual(Array(4).fill(drawn));
      await shot(page, `buyer-home-${lang}`);

      await page.goto(`${server.url}/categories`);
      await page.waitForSelector(tid('category-leaf'));
      await page.click(`${tid('category-leaf')}[data-category-id="women-dress"]`);
      await page.waitForSelector(tid('product-card'));
      await picturesLoaded(page, `${tid('product-card')} img`, 4);
      expect((await pictures(page, `${tid('product-card')} img`)).slice(0, 4)).toEqual(Array(4).fill(drawn));
      await shot(page, `buyer-category-${lang}`);

      await page.click(tid('product-card'));
      await page.waitForSelector(tid('product-detail'));
      await picturesLoaded(page, `${tid('product-image')} img, img${tid('product-image')}`, 1);
      const gallery = await pictures(page, `${tid('product-image')} img, img${tid('product-image')}`);
      expect(gallery.length).toBeGreaterThanOrEqual(2);
      expect(gallery[0]).toEqual(drawn);
      await shot(page, `buyer-product-${lang}`);
      await context.close();
      expect(pageErrors).toEqual([]);
    });
  }
});
