import {
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type Page,
  request,
} from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuilt } from '../../src/web-build.ts';
import { type ServerProcess, scratchDir, startServer } from '../support/server-process.ts';
import { consoleContext, type Lang, launchBrowser, shot, shotsDir, signIn, tid } from './browser.ts';

/**
 * The trust-shopping consoles (issue 11) against a real server with the demo data: a merchant creates a
 * 满X减Y store coupon and sees it listed with its claims, and approves a buyer's after-sale request, then
 * confirms the returned parcel, which refunds the buyer; an operator edits the after-sale policy (saved and read back) and opens
 * the cost of each guarantee, which shows what the guarantees module reports.
 */

const MERCHANT = '13700000001';
/** The input of an antd InputNumber whose test id is on the input itself or on its wrapper. */
const numberInput = (id: string) => `input${tid(id)}, ${tid(id)} input`;
const OPERATOR = '13900000000';

describe('trust consoles in the browser', () => {
  let server: ServerProcess;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const apis: APIRequestContext[] = [];
  const pageErrors: string[] = [];

  /** An API client signed in as `phone` (the sandbox SMS code is in the answer outside production). */
  async function apiAs(phone: string, role: 'buyer'): Promise<APIRequestContext> {
    const api = await request.newContext({ baseURL: server.url, extraHTTPHeaders: { origin: server.url } });
    apis.push(api);
    const sent = await api.post('/api/v1/auth/sms-code', { data: { phone } });
    expect(sent.ok(), await sent.text()).toBe(true);
    const { sandboxCode } = (await sent.json()) as { sandboxCode: string };
    const signed = await api.post('/api/v1/auth/sign-in', { data: { phone, code: sandboxCode, role } });
    expect(signed.ok(), await signed.text()).toBe(true);
    return api;
  }

  async function open(lang: Lang, phone: string, url: string): Promise<Page> {
    const context = await consoleContext(browser, lang);
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${server.url}${url}`);
    await signIn(page, phone);
    await page.waitForSelector('.c-page-title');
    return page;
  }

  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startServer({ DATA_DIR: scratchDir('gravity-e2e-trust-consoles') }, 300_000);
    browser = await launchBrowser();
    console.log(`screenshots: ${shotsDir}`);
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    for (const api of apis) await api.dispose();
    await browser?.close();
    await server?.kill();
  });

  it('a merchant creates a 满X减Y coupon and approves an after-sale request (zh-CN)', async () => {
    const page = await open('zh-CN', MERCHANT, '/merchant/coupons');
    await page.locator(`${tid('merchant-coupons')} .ant-table`).waitFor();

    // A new coupon: 满 ¥99 减 ¥10, 50 of them, 2 per buyer.
    await page.click(tid('coupon-new'));
    await page.fill(tid('coupon-title'), '双十二满减');
    await page.fill(numberInput('coupon-threshold'), '99');
    await page.fill(numberInput('coupon-amount'), '10');
    await page.fill(numberInput('coupon-quantity'), '50');
    await page.fill(numberInput('coupon-per-buyer'), '2');
    await shot(page, 'trust-merchant-coupon-form');
    await page.click(tid('coupon-submit'));
    const row = page.locator(tid('coupon-row'), { hasText: '双十二满减' });
    await row.waitFor();
    expect(await row.locator(tid('coupon-rule')).textContent()).toBe('满 ¥99.00 减 ¥10.00');
    expect((await row.locator(tid('coupon-claimed')).textContent())?.replace(/\s/g, '')).toBe('0/50');
    expect(await row.locator(tid('coupon-state')).getAttribute('data-state')).toBe('active');
    // the server has it, merchant-funded, as typed
    // the page's session (an SMS code per phone per minute)
    const merchantApi = page.request;
    const coupons = (await (await merchantApi.get(`${server.url}/api/v1/merchant/coupons`)).json()) as {
      items: Array<{
        title: string;
        thresholdFen: number;
        discountFen: number;
        totalQuantity: number;
        perBuyerLimit: number;
        funder: string;
      }>;
    };
    expect(coupons.items.find((c) => c.title === '双十二满减')).toMatchObject({
      thresholdFen: 9900,
      discountFen: 1000,
      totalQuantity: 50,
      perBuyerLimit: 2,
      funder: 'merchant',
    });
    await shot(page, 'trust-merchant-coupons');

    // A buyer of a delivered order of this store asks to return a line.
    const delivered = (await (
      await merchantApi.get(`${server.url}/api/v1/merchant/orders?status=delivered&pageSize=50`)
    ).json()) as {
      items: Array<{
        id: string;
        orderNo: string;
        address: { phone: string };
        lines: Array<{ skuId: string }>;
      }>;
    };
    const existing = (await (
      await merchantApi.get(`${server.url}/api/v1/merchant/aftersale/requests`)
    ).json()) as {
      items: Array<{ orderId: string; skuId: string }>;
    };
    const taken = new Set(existing.items.map((r) => `${r.orderId}:${r.skuId}`));
    const order = delivered.items.find((o) => o.lines.some((l) => !taken.has(`${o.id}:${l.skuId}`)));
    expect(order, 'the demo store has a delivered order without an after-sale request').toBeTruthy();
    if (!order) return;
    const line = order.lines.find((l) => !taken.has(`${order.id}:${l.skuId}`));
    const buyer = await apiAs(order.address.phone, 'buyer');
    const asked = await buyer.post('/api/v1/aftersale/requests', {
      data: {
        orderId: order.id,
        skuId: line?.skuId,
        kind: 'return_refund',
        reason: 'quality',
        note: '线头开了',
      },
    });
    expect(asked.status(), await asked.text()).toBe(201);
    const { request: created } = (await asked.json()) as { request: { id: string; status: string } };
    expect(created.status).toBe('requested');

    // The merchant sees it waiting, with the time left to decide, and approves it.
    await page.click(tid('nav-aftersale'));
    const requestRow = page.locator(`${tid('aftersale-row')}[data-request-id="${created.id}"]`);
    await requestRow.waitFor();
    expect(await requestRow.textContent()).toContain(order.orderNo);
    expect(await requestRow.textContent()).toContain('质量问题');
    const left = Number(await requestRow.locator(tid('sla-countdown')).getAttribute('data-left'));
    expect(left).toBeGreaterThan(0);
    await shot(page, 'trust-merchant-aftersale-queue');
    await requestRow.locator(tid('aftersale-approve')).click();
    await page.click(tid('aftersale-approve-confirm'));
    // approved: it leaves the "to decide" list
    await requestRow.waitFor({ state: 'detached' });
    await page.click(tid('aftersale-filter-all'));
    const approvedRow = page.locator(
      `${tid('aftersale-row')}[data-request-id="${created.id}"][data-status="approved"]`,
    );
    await approvedRow.waitFor();
    expect(await approvedRow.locator(tid('aftersale-rule')).textContent()).toBe('商家处理');

    // The buyer ships the parcel back: the merchant's queue shows it to confirm.
    const shipped = await buyer.post(`/api/v1/aftersale/requests/${created.id}/return-shipment`, {
      data: { carrier: 'sf', trackingNo: 'SF1234567890' },
    });
    expect(shipped.ok(), await shipped.text()).toBe(true);
    await page.click(tid('aftersale-refresh'));
    await page.click(tid('aftersale-filter-return'));
    const returning = page.locator(
      `${tid('aftersale-row')}[data-request-id="${created.id}"][data-status="returning"]`,
    );
    await returning.waitFor();
    await shot(page, 'trust-merchant-aftersale-return');
    // The merchant confirms the parcel came back: the buyer is refunded (orders.refundLines) at once.
    await returning.locator(tid('aftersale-confirm-return')).click();
    await page.click(tid('aftersale-confirm-return-ok'));
    await returning.waitFor({ state: 'detached' });
    const after = (await (await buyer.get(`/api/v1/aftersale/requests/${created.id}`)).json()) as {
      request: { status: string; refundedFen: number; amountFen: number };
    };
    expect(after.request.status).toBe('refunded');
    expect(after.request.refundedFen).toBe(after.request.amountFen);
    await page.click(tid('aftersale-filter-all'));
    const refundedRow = page.locator(
      `${tid('aftersale-row')}[data-request-id="${created.id}"][data-status="refunded"]`,
    );
    await refundedRow.waitFor();
    expect(await refundedRow.locator(tid('aftersale-status')).textContent()).toBe('已退款');
    expect(await refundedRow.locator(tid('aftersale-confirm-return')).count()).toBe(0);
    await shot(page, 'trust-merchant-aftersale-refunded');

    // What guarantees the store offers: switching shipping insurance on is saved.
    await page.click(tid('nav-guarantees'));
    const insurance = page.locator(tid('guarantee-switch-shippingInsurance'));
    await insurance.waitFor();
    const before = (await insurance.getAttribute('aria-checked')) === 'true';
    await insurance.click();
    await page
      .locator(`${tid('guarantee-switch-shippingInsurance')}[aria-checked="${String(!before)}"]`)
      .waitFor();
    const settings = (await (
      await merchantApi.get(`${server.url}/api/v1/merchant/aftersale/settings`)
    ).json()) as {
      shippingInsurance: boolean;
    };
    expect(settings.shippingInsurance).toBe(!before);
    await shot(page, 'trust-merchant-guarantees');
    expect(pageErrors).toEqual([]);
  });

  it('an operator edits the after-sale policy and sees the cost of each guarantee (English)', async () => {
    const page = await open('en', OPERATOR, '/ops/policies');
    const sla = page.locator(numberInput('policy-sla-hours'));
    await sla.waitFor();
    const opsApi = page.request;
    const { policy: old } = (await (
      await opsApi.get(`${server.url}/api/v1/ops/aftersale/policy`)
    ).json()) as {
      policy: { merchantSlaHours: number; abuse: { maxCount30d: number } };
    };
    expect(await sla.inputValue()).toBe(String(old.merchantSlaHours));

    // A value the form refuses (the count must be at least 1) is not sent.
    const count = page.locator(numberInput('policy-abuse-count'));
    await count.fill('');
    await page.click(tid('policy-aftersale-save'));
    await page.locator('.ant-form-item-explain-error').first().waitFor();
    await shot(page, 'trust-ops-policy-invalid');

    await count.fill('3');
    await sla.fill('36');
    await page.click(tid('policy-aftersale-save'));
    await page.locator('.ant-message-notice').first().waitFor();
    const { policy: saved } = (await (
      await opsApi.get(`${server.url}/api/v1/ops/aftersale/policy`)
    ).json()) as {
      policy: { merchantSlaHours: number; abuse: { maxCount30d: number } };
    };
    expect(saved.merchantSlaHours).toBe(36);
    expect(saved.abuse.maxCount30d).toBe(3);
    await page.reload();
    await sla.waitFor();
    expect(await sla.inputValue()).toBe('36');
    await shot(page, 'trust-ops-policy-saved');

    // The other policy tabs open on their forms.
    await page.click(tid('policy-tab-credit'));
    await page.locator(tid('policy-credit')).waitFor();
    await shot(page, 'trust-ops-policy-credit');
    await page.click(tid('policy-tab-subsidies'));
    await page.locator(`${tid('policy-subsidies')}[data-loading="false"]`).waitFor();
    // A low-price subsidy for one SKU, picked by product and size (no SKU id typed).
    await page.click(tid('subsidy-new'));
    await page.fill(tid('subsidy-title'), 'Winter basics');
    await page.fill(numberInput('subsidy-total'), '500');
    await page.click(tid('subsidy-sku'));
    await page.locator('.ant-cascader-menu').first().locator('.ant-cascader-menu-item').first().click();
    await page.locator('.ant-cascader-menu').nth(1).locator('.ant-cascader-menu-item').first().click();
    await shot(page, 'trust-ops-subsidy-form');
    await page.click(tid('subsidy-submit'));
    const budget = page.locator(tid('subsidy-row'), { hasText: 'Winter basics' });
    await budget.waitFor();
    const subsidies = (await (await opsApi.get(`${server.url}/api/v1/ops/subsidies`)).json()) as {
      items: Array<{
        title: string;
        totalFen: number;
        skus: Array<{ fenPerUnit: number; capUnits: number }>;
      }>;
    };
    expect(subsidies.items.find((b) => b.title === 'Winter basics')).toMatchObject({
      totalFen: 50000,
      skus: [{ fenPerUnit: 100, capUnits: 100 }],
    });
    await shot(page, 'trust-ops-policy-subsidies');

    // The cost of each guarantee: the page shows what the guarantees module reports.
    await page.click(tid('nav-guarantee-costs'));
    await page.locator(tid('ops-guarantee-costs')).waitFor();
    const answer = await opsApi.get(`${server.url}/api/v1/ops/guarantee-costs`);
    if (answer.status() === 404) {
      // Without the guarantees module (h-protection) the page says it could not load, with a retry.
      await page.locator(`${tid('ops-guarantee-costs')} ${tid('error-message')}`).waitFor();
    } else {
      expect(answer.ok(), await answer.text()).toBe(true);
      const costs = (await answer.json()) as {
        totalFen: number;
        items: Array<{ guarantee: string; fen: number }>;
      };
      const chart = page.locator(`${tid('guarantee-cost-chart')}:not([data-state="loading"])`);
      await chart.waitFor();
      const drawn = costs.items.some((i) => i.fen !== 0);
      expect(await chart.getAttribute('data-state')).toBe(drawn ? 'chart' : 'empty');
      if (drawn) await page.waitForSelector(`${tid('guarantee-cost-chart')} canvas`);
      expect(await page.locator(tid('ops-cost-total')).textContent()).toBe(String(costs.totalFen));
      expect(await page.locator(tid('guarantee-cost-row')).count()).toBe(costs.items.length);
    }
    await shot(page, 'trust-ops-guarantee-costs');

    // The review queue and the debts open (empty or not) without errors.
    await page.click(tid('nav-aftersale-review'));
    await page.locator(`${tid('ops-abuse-review')}[data-loading="false"]`).waitFor();
    await shot(page, 'trust-ops-review');
    await page.click(tid('nav-debts'));
    await page.locator(`${tid('ops-debts')}[data-loading="false"]`).waitFor();
    await shot(page, 'trust-ops-debts');
    expect(pageErrors).toEqual([]);
  });
});
