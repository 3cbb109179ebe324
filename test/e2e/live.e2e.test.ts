import { type ChildProcess, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { type APIRequestContext, type Browser, type Page, request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushTestPattern } from '../../src/modules/ingest/test-pattern.ts';
import { mediaTools } from '../../src/platform/ffmpeg.ts';
import { ensureWebBuilt } from '../../src/web-build.ts';
import { freePort, type ServerProcess, scratchDir, startServer } from '../support/server-process.ts';
import { consoleContext, launchBrowser, phoneContext, shot, shotsDir, signIn, tid } from './browser.ts';

/**
 * Real video end to end: a real server (`gravity start`, its embedded RTMP ingest on free ports),
 * ffmpeg pushing a generated test pattern with the session's stream key, and Debian's Chromium
 * playing it with mpegts.js from our own origin (`/api/v1/live/sessions/:id/stream.flv`) — the
 * video's currentTime advances. Then the buyer watches in the live room (web/src/buyer/live/LiveRoom.tsx),
 * the merchant pins a product from the console and the buyer buys it from the room: an order attributed
 * to the live session (channel live, content the session), paid.
 */

const MERCHANT = '13700000001';
const BUYER = '13600000003';
const root = path.resolve(import.meta.dirname, '../..');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function apiAs(base: string, phone: string, role: 'merchant' | 'buyer'): Promise<APIRequestContext> {
  const api = await request.newContext({ baseURL: base, extraHTTPHeaders: { origin: base } });
  const sent = await api.post('/api/v1/auth/sms-code', { data: { phone } });
  expect(sent.ok(), await sent.text()).toBe(true);
  const { sandboxCode } = (await sent.json()) as { sandboxCode: string };
  const signed = await api.post('/api/v1/auth/sign-in', { data: { phone, code: sandboxCode, role } });
  expect(signed.ok(), await signed.text()).toBe(true);
  return api;
}

/** The video's currentTime, sampled `count` times 500 ms apart. */
async function playhead(page: Page, selector: string, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    times.push(await page.$eval(selector, (v) => (v as HTMLVideoElement).currentTime));
    await sleep(500);
  }
  return times;
}

const tools = mediaTools();

describe.runIf(tools)('live video from an RTMP push to the buyer', () => {
  let server: ServerProcess;
  let browser: Browser;
  let merchant: APIRequestContext;
  let ffmpeg: ChildProcess | undefined;
  let sessionId: string;
  let productId: string;
  const pageErrors: string[] = [];
  const dataDir = scratchDir('gravity-e2e-live');

  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startServer(
      {
        DATA_DIR: dataDir,
        RTMP_PORT: String(await freePort()),
        LIVE_MEDIA_HTTP_PORT: String(await freePort()),
      },
      300_000,
    );
    browser = await launchBrowser();
    merchant = await apiAs(server.url, MERCHANT, 'merchant');
    console.log(`screenshots: ${shotsDir}`);
  });
  afterAll(async () => {
    ffmpeg?.kill('SIGINT');
    await merchant?.dispose();
    await browser?.close();
    await server?.kill();
  });

  it('ffmpeg publishes with the stream key; the session goes on air', async () => {
    const products = await merchant.get('/api/v1/merchant/products?pageSize=5');
    expect(products.ok(), await products.text()).toBe(true);
    productId = ((await products.json()) as { items: Array<{ id: string }> }).items[0]?.id as string;
    expect(productId).toBeTruthy();
    const made = await merchant.post('/api/v1/merchant/live/sessions', {
      data: {
        title: '引力直播 e2e',
        scheduledAt: new Date(Date.now() + 60_000).toISOString(),
        productIds: [productId],
      },
    });
    expect(made.status(), await made.text()).toBe(201);
    sessionId = ((await made.json()) as { session: { id: string } }).session.id;
    const started = await merchant.post(`/api/v1/merchant/live/sessions/${sessionId}/start`);
    expect(started.ok(), await started.text()).toBe(true);

    const ingest = await merchant.get(`/api/v1/merchant/live/sessions/${sessionId}/ingest`);
    expect(ingest.ok(), await ingest.text()).toBe(true);
    const info = (await ingest.json()) as { publishUrl: string; rtmpUrl: string; streamKey: string };
    expect(info.rtmpUrl).toMatch(/^rtmp:\/\/127\.0\.0\.1:\d+\/live$/);

    // Nothing on air yet: the player route says 404.
    expect((await merchant.get(`/api/v1/live/sessions/${sessionId}/stream.flv`)).status()).toBe(404);

    ffmpeg = pushTestPattern(tools?.ffmpeg ?? 'ffmpeg', { publishUrl: info.publishUrl, size: '640x360' });
    let status = { publishing: false, bitrateKbps: null as number | null };
    for (let i = 0; i < 150 && !(status.publishing && status.bitrateKbps); i++) {
      await sleep(200);
      const res = await merchant.get(`/api/v1/live/sessions/${sessionId}/ingest-status`);
      status = (await res.json()) as typeof status;
    }
    expect(status.publishing).toBe(true);
    expect(status.bitrateKbps).toBeGreaterThan(50);
    console.log(`ingest on air: ${JSON.stringify(status)}`);
  });

  it("Chromium plays the stream through our origin with mpegts.js (the video's time advances)", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // A bare page on our origin, under the server's own Content-Security-Policy: mpegts.js reads
    // HTTP-FLV from the same origin and feeds Media Source Extensions (H.264 + AAC).
    const csp =
      (await fetch(`${server.url}/`)).headers.get('content-security-policy') ?? "default-src 'self'";
    const mpegts = fs.readFileSync(path.join(root, 'node_modules/mpegts.js/dist/mpegts.js'));
    await page.route(`${server.url}/__e2e/**`, (route) => {
      const url = route.request().url();
      if (url.endsWith('/mpegts.js'))
        return route.fulfill({
          body: mpegts,
          contentType: 'text/javascript',
          headers: { 'content-security-policy': csp },
        });
      if (url.endsWith('/start.js'))
        return route.fulfill({
          contentType: 'text/javascript',
          headers: { 'content-security-policy': csp },
          body: `const p = mpegts.createPlayer({ type: 'flv', isLive: true, url: '/api/v1/live/sessions/${sessionId}/stream.flv' }, { enableWorker: false });
                 p.attachMediaElement(document.getElementById('v')); p.load(); p.play();`,
        });
      return route.fulfill({
        contentType: 'text/html',
        headers: { 'content-security-policy': csp },
        body: '<!doctype html><video id="v" muted autoplay playsinline width="640"></video><script src="/__e2e/mpegts.js"></script><script src="/__e2e/start.js"></script>',
      });
    });
    await page.goto(`${server.url}/__e2e/player`);
    await page.waitForFunction(
      () => (document.getElementById('v') as HTMLVideoElement).currentTime > 0.5,
      null,
      {
        polling: 250,
        timeout: 60_000,
      },
    );
    const times = await playhead(page, '#v', 6);
    console.log(`currentTime samples: ${times.map((t) => t.toFixed(2)).join(' ')}`);
    expect((times.at(-1) as number) - (times[0] as number)).toBeGreaterThan(1.5);
    const size = await page.$eval('#v', (v) => [
      (v as HTMLVideoElement).videoWidth,
      (v as HTMLVideoElement).videoHeight,
    ]);
    expect(size).toEqual([640, 360]);
    await shot(page, 'live-bare-player');
    await context.close();
    expect(pageErrors).toEqual([]);
  });

  it('the buyer watches in the room, the merchant pins from the console, the buyer buys from the room', async () => {
    const context = await phoneContext(browser, 'zh-CN');
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${server.url}/login?next=/me`);
    await signIn(page, BUYER);
    await page.waitForURL(/\/me$/);
    await page.goto(`${server.url}/live/${sessionId}`);
    await page.waitForSelector(tid('live-video'));
    await page.waitForFunction(
      () =>
        ((document.querySelector('[data-testid="live-video"]') as HTMLVideoElement | null)?.currentTime ??
          0) > 0.5,
      null,
      { polling: 250, timeout: 60_000 },
    );
    const times = await playhead(page, tid('live-video'), 4);
    expect((times.at(-1) as number) - (times[0] as number)).toBeGreaterThan(1);
    await shot(page, 'live-room-playing');

    // The merchant pins the product from the live console (web/src/merchant/live/LiveSessions.tsx).
    const console_ = await consoleContext(browser, 'zh-CN');
    // (signed in with the merchant's API session: a second SMS code for the same phone would be rate limited)
    await console_.addCookies((await merchant.storageState()).cookies);
    const consolePage = await console_.newPage();
    consolePage.on('pageerror', (e) => pageErrors.push(e.message));
    await consolePage.goto(`${server.url}/merchant/live/${sessionId}`);
    await consolePage.click(`${tid('live-pin')}[data-product="${productId}"]`);
    await consolePage.waitForSelector(
      `${tid('live-console-product')}[data-pinned="true"][data-product="${productId}"]`,
    );
    await shot(consolePage, 'live-console-pinned');
    await console_.close();

    await page.waitForSelector(`${tid('live-pinned')}[data-product="${productId}"]`, { timeout: 30_000 });
    await shot(page, 'live-room-pinned');
    await page.click(`${tid('live-pinned')} >> ${tid('live-buy-pinned')}`);
    await page.waitForURL(new RegExp(`/product/${productId}\\?from=live&content=${sessionId}`), {
      timeout: 30_000,
    });
    await page.waitForSelector(tid('product-detail'));
    for (const opt of ['size-option', 'color-option']) {
      if ((await page.locator(tid(opt)).count()) > 1)
        await page
          .locator(`${tid(opt)}:not([disabled])`)
          .first()
          .click();
    }
    await page.click(tid('buy-now'));
    await page.waitForSelector(tid('checkout-page'));
    expect(new URL(page.url()).searchParams.get('from')).toBe('live');
    // (a fresh data directory: the buyer has no saved address yet)
    await page.waitForSelector(tid('address-name'));
    await page.fill(tid('address-name'), '张三');
    await page.fill(tid('address-phone'), BUYER);
    await page.click(tid('address-region'));
    for (const region of ['浙江省', '嘉兴市', '桐乡市']) {
      await page.click(`.adm-cascader-view-item:has-text("${region}") >> visible=true`);
    }
    await page.click('.adm-cascader-header-button:last-child');
    await page.fill(tid('address-detail'), '乌镇石佛南路 18 号');
    await page.waitForFunction(
      (sel) => /\d/.test(document.querySelector(sel)?.textContent ?? ''),
      tid('checkout-total'),
    );
    await shot(page, 'live-room-checkout');
    const placed = page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/checkouts') && r.request().method() === 'POST',
    );
    await page.click(tid('checkout-submit'));
    const answer = await placed;
    expect(answer.status(), await answer.text()).toBe(201);
    const order = (await answer.json()).checkout.orders[0];
    const live = { channel: 'live', impressionId: null, contentId: sessionId };
    expect(order.lines[0].attribution).toEqual(live);
    expect(order.attribution).toEqual(live);
    await page.waitForSelector(tid('pay-button'));
    await page.click(tid('pay-button'));
    await page.waitForSelector(`${tid('pay-status')}[data-status="paid"]`, { timeout: 30_000 });
    await shot(page, 'live-room-bought-paid');
    await context.close();
    expect(pageErrors).toEqual([]);
  });

  it('the session is recorded to MEDIA_DIR/recordings while on air (what replays cut clips from)', async () => {
    const dir = path.join(dataDir, 'media', 'recordings', 'live', sessionId);
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.flv'));
    expect(files.length).toBe(1);
    const probed = execFileSync(tools?.ffprobe ?? 'ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'stream=codec_name',
      '-of',
      'csv=p=0',
      path.join(dir, files[0] as string),
    ]).toString();
    // (node-media-server's recordings also carry a data track: ffprobe calls it unknown)
    expect(probed.split('\n')).toEqual(expect.arrayContaining(['h264', 'aac']));
  });
});
