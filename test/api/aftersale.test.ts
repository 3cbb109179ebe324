import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbFingerprint } from '../support/db-fingerprint.ts';
import { deliverEvents } from '../support/events.ts';
import {
  apiOf,
  apparelMerchant,
  buyOrder,
  createApparel,
  TEE_CHART,
  TEE_SIZES,
} from '../support/sizing-fixtures.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

describe('after-sale requests, and what the size assistant learns from them', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  let merchant: string;
  let otherMerchant: string;
  let buyer: string;
  let otherBuyer: string;
  let operator: string;
  let tee: { productId: string; skus: Map<string, string> };
  let orderId: string;
  let lines: string[];

  beforeAll(async () => {
    t = await createTestApp({ sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } });
    api = apiOf(t);
    ({ cookie: merchant } = await apparelMerchant(t, '13700000001', '引力服饰'));
    ({ cookie: otherMerchant } = await apparelMerchant(t, '13700000002', '别家服饰'));
    await t.services.identity.provision('13900000000', 'operator', 'ops');
    operator = await t.signIn('13900000000', 'operator');
    buyer = await t.signIn('13600000001');
    otherBuyer = await t.signIn('13600000002');
    tee = await createApparel(t, merchant, {
      sizeChart: TEE_CHART,
      sizes: TEE_SIZES,
      colors: ['黑色', '白色'],
    });
    lines = ['M|黑色', 'M|白色', 'L|黑色'].map((k) => tee.skus.get(k) as string);
    orderId = await buyOrder(t, buyer, merchant, lines);
  });
  afterAll(async () => t?.close());

  it('records a size-reason request, which the size assistant learns from (aftersale.requested)', async () => {
    const res = await api('POST', '/aftersale/requests', buyer, {
      orderId,
      skuId: lines[0],
      reason: 'size_too_small',
      note: '胸围偏小',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().request).toMatchObject({
      orderId,
      skuId: lines[0],
      productId: tee.productId,
      reason: 'size_too_small',
      status: 'requested',
      amountFen: 9900,
    });
    await deliverEvents(t);
    const outcome = await sql<{ fit: string; source: string }>`
      select fit, source from size_fit_outcomes where order_id = ${orderId} and sku_id = ${lines[0]}`.execute(
      t.db,
    );
    expect(outcome.rows).toEqual([{ fit: 'small', source: 'aftersale' }]);
    const stored = await sql<{ value: number; n: number }>`
      select value, n from size_corrections where level = 'product' and key = ${tee.productId}`.execute(t.db);
    expect(stored.rows[0]?.n).toBe(1);
    expect(stored.rows[0]?.value).toBeLessThan(0);

    // the line's fit is known now: asking again how it fit is a conflict
    const fb = await api('POST', `/orders/${orderId}/fit-feedback`, buyer, { skuId: lines[0], fit: 'fit' });
    expect(fb.statusCode).toBe(409);
  });

  it('a size reason after fit feedback counts as a size refund but is not learned twice', async () => {
    const fb = await api('POST', `/orders/${orderId}/fit-feedback`, buyer, { skuId: lines[2], fit: 'large' });
    expect(fb.statusCode, fb.body).toBe(201);
    const res = await api('POST', '/aftersale/requests', buyer, {
      orderId,
      skuId: lines[2],
      reason: 'size_too_large',
    });
    expect(res.statusCode, res.body).toBe(201);
    await deliverEvents(t);
    const n = await sql<{ outcomes: number; refunds: number }>`
      select (select count(*) from size_fit_outcomes where order_id = ${orderId})::int as outcomes,
             (select count(*) from size_refund_lines where order_id = ${orderId})::int as refunds`.execute(
      t.db,
    );
    expect(n.rows[0]).toEqual({ outcomes: 2, refunds: 2 });
  });

  it('records other reasons without touching the size model', async () => {
    const before = await sql<{ n: number }>`select count(*)::int as n from size_fit_outcomes`.execute(t.db);
    const res = await api('POST', '/aftersale/requests', buyer, {
      orderId,
      skuId: lines[1],
      reason: 'quality',
    });
    expect(res.statusCode, res.body).toBe(201);
    await deliverEvents(t);
    const after = await sql<{ n: number }>`select count(*)::int as n from size_fit_outcomes`.execute(t.db);
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
  });

  it('refuses repeats, undelivered orders, other people and bad input, changing nothing', async () => {
    const paidOnly = await buyOrder(t, buyer, merchant, [tee.skus.get('S|黑色') as string], 'paid');
    const before = await dbFingerprint(t.db);
    const again = await api('POST', '/aftersale/requests', buyer, {
      orderId,
      skuId: lines[0],
      reason: 'other',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('request_exists');
    const early = await api('POST', '/aftersale/requests', buyer, {
      orderId: paidOnly,
      skuId: tee.skus.get('S|黑色'),
      reason: 'size_too_small',
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('not_delivered');
    expect(
      (await api('POST', '/aftersale/requests', otherBuyer, { orderId, skuId: lines[0], reason: 'other' }))
        .statusCode,
    ).toBe(404);
    expect(
      (
        await api('POST', '/aftersale/requests', buyer, {
          orderId,
          skuId: tee.skus.get('XL|白色'),
          reason: 'other',
        })
      ).statusCode,
    ).toBe(404);
    for (const bad of [
      { orderId, skuId: lines[0], reason: 'too_ugly' },
      { orderId: 'x', skuId: lines[0], reason: 'other' },
      { orderId, skuId: lines[0], reason: 'other', note: 'x'.repeat(501) },
    ]) {
      const res = await api('POST', '/aftersale/requests', buyer, bad);
      expect(res.statusCode).toBe(400);
    }
    expect(
      (await api('POST', '/aftersale/requests', merchant, { orderId, skuId: lines[0], reason: 'other' }))
        .statusCode,
    ).toBe(403);
    expect(await dbFingerprint(t.db)).toEqual(before);
  });

  it('lists requests to their buyer and to the store, and nobody else', async () => {
    expect((await api('GET', '/aftersale/requests', buyer)).json().items).toHaveLength(3);
    expect((await api('GET', '/aftersale/requests', otherBuyer)).json().items).toEqual([]);
    expect((await api('GET', '/merchant/aftersale/requests', merchant)).json().items).toHaveLength(3);
    expect((await api('GET', '/merchant/aftersale/requests', otherMerchant)).json().items).toEqual([]);
  });

  it('shows size refunds in merchant insights and operator metrics', async () => {
    const insights = (await api('GET', '/merchant/size-insights', merchant)).json();
    const item = insights.items.find((i: { productId: string }) => i.productId === tee.productId);
    // 4 purchased lines (3 delivered + 1 paid), 2 of them with a size-reason request
    expect(item).toMatchObject({ purchasedLines: 4, sizeRefunds: 2, sizeRefundRate: 0.5 });
    const m = (await api('GET', '/ops/size-metrics', operator)).json();
    expect(m.apparelLines).toBe(4);
    // this buyer never asked for a recommendation: all lines are "without"
    expect(m.linesWithRecommendation).toBe(0);
    expect(m.sizeRefundRate).toEqual({ withRecommendation: null, withoutRecommendation: 0.5 });
  });
});
