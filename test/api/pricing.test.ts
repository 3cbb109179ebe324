import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverEvents } from '../support/events.ts';
import { testAddress } from '../support/fixtures.ts';
import { apiOf, apparelMerchant, createApparel } from '../support/sizing-fixtures.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/** The final price (到手价): quote = cart = checkout; subsidies and coupons drawn once, given back on cancel. */
describe('pricing: quote, subsidies, coupons', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  let merchant: string;
  let otherMerchant: string;
  let operator: string;
  let storeId: string;
  let tee: { productId: string; skus: Map<string, string> };
  let other: { productId: string; skus: Map<string, string> };
  let phone = 13600005000;

  const future = () => new Date(t.clock.now().getTime() + 30 * 86_400_000).toISOString();
  const nowIso = () => t.clock.now().toISOString();
  const newBuyer = () => {
    phone += 1;
    return t.signIn(String(phone));
  };
  const checkout = (buyer: string, lines: Array<{ skuId: string; quantity: number }>, extra: object = {}) =>
    api(
      'POST',
      '/checkouts',
      buyer,
      { lines, address: testAddress, ...extra },
      { 'idempotency-key': randomUUID() },
    );
  const coupon = async (who: string, path: string, body: object) => {
    const res = await api('POST', path, who, {
      title: '优惠券',
      startsAt: nowIso(),
      endsAt: future(),
      totalQuantity: 1000,
      ...body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().coupon.id as string;
  };

  beforeAll(async () => {
    t = await createTestApp({ sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } });
    api = apiOf(t);
    ({ cookie: merchant, storeId } = await apparelMerchant(t, '13700005001', '价格服饰'));
    ({ cookie: otherMerchant } = await apparelMerchant(t, '13700005002', '别家价格'));
    await t.services.identity.provision('13900005000', 'operator', 'ops');
    operator = await t.signIn('13900005000', 'operator');
    tee = await createApparel(t, merchant, { sizes: ['S', 'M', 'L'], colors: ['黑色'] });
    other = await createApparel(t, otherMerchant, { sizes: ['S', 'M'], colors: ['白色'] });
  });
  afterAll(async () => t?.close());

  it('quotes the list price when nothing applies, for anyone', async () => {
    const sku = tee.skus.get('S|黑色') as string;
    const res = await api('POST', '/quote', undefined, { lines: [{ skuId: sku, quantity: 2 }] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().quote).toMatchObject({
      listTotalFen: 19_800,
      totalFen: 19_800,
      discountFen: 0,
      coupons: [],
      lines: [
        {
          skuId: sku,
          storeId,
          quantity: 2,
          listUnitFen: 9900,
          unitFen: 9900,
          paidFen: 19_800,
          discounts: [],
        },
      ],
    });
  });

  it('a subsidy, a store coupon and a platform coupon: the quote is what checkout charges, once', async () => {
    const sku = tee.skus.get('M|黑色') as string;
    const sub = await api('POST', '/ops/subsidies', operator, {
      title: '低价补贴',
      totalFen: 100_000,
      startsAt: nowIso(),
      endsAt: future(),
      skus: [{ skuId: sku, fenPerUnit: 900, capUnits: 100 }],
    });
    expect(sub.statusCode, sub.body).toBe(201);
    const subsidyId = sub.json().subsidy.id as string;
    const storeCoupon = await coupon(merchant, '/merchant/coupons', {
      kind: 'store_coupon',
      discountFen: 2000,
      thresholdFen: 15_000,
      autoClaim: true,
    });
    const buyer = await newBuyer();
    const platformCoupon = await coupon(operator, '/ops/coupons', {
      kind: 'platform_coupon',
      discountFen: 500,
    });
    const claimed = await api('POST', `/coupons/${platformCoupon}/claim`, buyer);
    expect(claimed.statusCode, claimed.body).toBe(201);

    const lines = [
      { skuId: sku, quantity: 2 },
      { skuId: other.skus.get('S|白色') as string, quantity: 1 },
    ];
    const quoted = await api('POST', '/quote', buyer, { lines });
    expect(quoted.statusCode, quoted.body).toBe(200);
    const q = quoted.json().quote;
    // 2 × 9900 − 2 × 900 subsidy = 18000 ≥ 15000: the store coupon (2000); then the platform coupon (500).
    expect(q.listTotalFen).toBe(29_700);
    expect(q.coupons.map((c: { id: string }) => c.id).sort()).toEqual([storeCoupon, platformCoupon].sort());
    expect(q.totalFen).toBe(29_700 - 1800 - 2000 - 500);
    const mine = q.lines.find((l: { skuId: string }) => l.skuId === sku);
    expect(mine.unitFen).toBe(9000);
    expect(mine.discounts).toContainEqual({ kind: 'subsidy', id: subsidyId, funder: 'platform', fen: 1800 });
    expect(mine.discounts).toContainEqual({
      kind: 'store_coupon',
      id: storeCoupon,
      funder: 'merchant',
      fen: 2000,
    });
    const platformFunded = q.lines.reduce(
      (s: number, l: { platformFundedFen: number }) => s + l.platformFundedFen,
      0,
    );
    expect(platformFunded).toBe(1800 + 500);
    expect(q.platformFundedFen).toBe(2300);

    const placed = await checkout(buyer, lines);
    expect(placed.statusCode, placed.body).toBe(201);
    const co = placed.json().checkout;
    expect(co.totalFen).toBe(q.totalFen);
    const orderIds = co.orders.map((o: { id: string }) => o.id);
    const stored = await sql<{
      sku_id: string;
      list_price_fen: number;
      paid_fen: number;
      platform_funded_fen: number;
      discounts: unknown;
    }>`
      select sku_id, list_price_fen::int, paid_fen::int, platform_funded_fen::int, discounts from order_lines
      where order_id = any(${orderIds}::uuid[])`.execute(t.db);
    for (const line of q.lines) {
      const row = stored.rows.find((r) => r.sku_id === line.skuId);
      expect(row).toMatchObject({
        list_price_fen: line.listUnitFen,
        paid_fen: line.paidFen,
        platform_funded_fen: line.platformFundedFen,
        discounts: line.discounts,
      });
    }
    const totals = await sql<{ total: number; funded: number }>`
      select sum(total_fen)::int as total, sum(platform_funded_fen)::int as funded from orders
      where id = any(${orderIds}::uuid[])`.execute(t.db);
    expect(totals.rows[0]).toEqual({ total: q.totalFen, funded: 2300 });
    // Drawn once: the budget, the SKU's cap, the claim, the automatic coupon's count.
    const subsidy = (await api('GET', '/ops/subsidies', operator))
      .json()
      .items.find((s: { id: string }) => s.id === subsidyId);
    expect(subsidy.drawnFen).toBe(1800);
    expect(subsidy.skus[0].drawnUnits).toBe(2);
    const myCoupons = (await api('GET', '/coupons/mine', buyer)).json().items;
    expect(
      myCoupons.map((c: { coupon: { id: string }; status: string }) => [c.coupon.id, c.status]).sort(),
    ).toEqual(
      [
        [platformCoupon, 'used'],
        [storeCoupon, 'used'],
      ].sort(),
    );
    // The same quote again: the coupons are spent, so it is dearer; the subsidy still applies.
    const again = (await api('POST', '/quote', buyer, { lines })).json().quote;
    expect(again.coupons).toEqual([]);
    expect(again.totalFen).toBe(29_700 - 1800);

    // Cancelling gives everything back: the platform coupon only once both orders are cancelled.
    const [first, second] = orderIds as [string, string];
    expect((await api('POST', `/orders/${first}/cancel`, buyer)).statusCode).toBe(200);
    const mid = (await api('GET', '/coupons/mine', buyer)).json().items;
    expect(mid.find((c: { coupon: { id: string } }) => c.coupon.id === platformCoupon).status).toBe('used');
    expect((await api('POST', `/orders/${second}/cancel`, buyer)).statusCode).toBe(200);
    const after = (await api('GET', '/coupons/mine', buyer)).json().items;
    expect(after.every((c: { status: string }) => c.status === 'available')).toBe(true);
    const restored = (await api('GET', '/ops/subsidies', operator))
      .json()
      .items.find((s: { id: string }) => s.id === subsidyId);
    expect(restored.drawnFen).toBe(0);
    expect(restored.skus[0].drawnUnits).toBe(0);
    await deliverEvents(t);
  });
});
