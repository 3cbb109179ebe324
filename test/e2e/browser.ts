import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';

/** Debian's Chromium, headless, with the flags this machine's closed network needs. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(executablePath))
    throw new Error(`no Chromium at ${executablePath}; install Debian's chromium`);
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

/** Screenshots go outside the repository's tracked files. */
export const shotsDir = process.env.E2E_SCREENSHOTS ?? path.join(os.tmpdir(), 'gravity-e2e-shots');

export async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(shotsDir, { recursive: true });
  await page.screenshot({ path: path.join(shotsDir, `${name}.png`), fullPage: false });
}

export const tid = (id: string) => `[data-testid="${id}"]`;

export type Lang = 'zh-CN' | 'en';

/** A phone-sized context (the buyer app, or a console on a phone) whose app starts in `lang`. */
export async function phoneContext(browser: Browser, lang: Lang): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: lang,
  });
  await context.addInitScript((l) => localStorage.setItem('gravity.lang', l), lang);
  return context;
}

/** A desktop context for the merchant and ops consoles, starting in `lang`. */
export async function consoleContext(browser: Browser, lang: Lang): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: lang });
  await context.addInitScript((l) => localStorage.setItem('gravity.lang', l), lang);
  return context;
}

/** Signs in on the sign-in screen with the sandbox SMS code shown outside production. */
export async function signIn(page: Page, phone: string): Promise<void> {
  await page.waitForSelector(tid('phone-input'));
  await page.fill(tid('phone-input'), phone);
  await page.click(tid('get-code'));
  await page.waitForSelector(tid('sandbox-code'));
  await page.click(tid('sign-in'));
}

/**
 * Waits until every chart canvas on the page stops changing (ECharts animates its first draw), so a
 * screenshot shows the finished chart. Bounded by a number of animation frames, not by time.
 */
export async function chartsSettled(page: Page): Promise<void> {
  const settled = await page.evaluate(async () => {
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    const pixels = () =>
      Array.from(document.querySelectorAll('canvas'), (c) => (c as HTMLCanvasElement).toDataURL()).join();
    let last = pixels();
    for (let check = 0; check < 60; check += 1) {
      for (let f = 0; f < 10; f += 1) await frame();
      const now = pixels();
      if (now === last) return true;
      last = now;
    }
    return false;
  });
  expect(settled, 'charts still drawing after 600 frames').toBe(true);
}
