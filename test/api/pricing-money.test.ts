import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBalance, trialBalance } from '../../src/modules/payments/index.ts';
import { testAddress } from '../support/fixtures.ts';
import { placeAndPay } from '../support/payments.ts';
import { apiOf, apparelMerchant, createApparel } from '../support/sizing-fixtures.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Pricing's discounts through the ledger: the buyer pays the quote; at settlement the merchant gets
 * the escrow plus the platform-funded discounts of the units kept (from platform_expense:subsidy and
 * platform_expense:platform_coupon), less commission. A refund of units gives the subsidy back to its
 * budget; an order refunded in full gives its coupons back.
 */
describe('pricing money: subsidies and coupons at settlement and refund', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  let merchant: string;
  let operator: string;
  let buyer: string;
  let tee: { productId: string; skus: Map<string, string> };
  const future = () => new Date(t.clock.now().getTime() + 30 * 86_400_000).toISOString();

  beforeAll(async () => {
    t = await createTestApp({ sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } });
    api = apiOf(t);
    ({ cookie: merchant } = await apparelMerchant(t, '13700007001', '结算服饰'));
    await t.services.identity.provision('13900007000', 'operator', 'ops');
    operator = await t.signIn('13900007000', 'operator');
    buyer = await t.signIn('13600007001');
    tee = await createApparel(t, merchant, { sizes: ['S', 'M'], colors: ['黑色'] });
  });
  afterAll(async () => t?.close());

  const pay = async (lines: Array<{ skuId: string; quantity: number }>) => {
    const checkout = await placeAndPay(t, buyer, { lines, address: testAddress }, randomUUID());
    return checkout.orders[0];
  };

  it('settles the merchant with the platform-funded discounts of the units kept; gives back what refunds return', async () => {
    const sku = tee.skus.get('M|黑色') as string;
    const sub = await api('POST', '/ops/subsidies', operator, {
      title: '补贴',
      totalFen: 100_000,
      startsAt: t.clock.now().toISOString(),
      endsAt: future(),
      skus: [{ skuId: sku, fenPerUnit: 1000, capUnits: 10 }],
    });
    expect(sub.statusCode, sub.body).toBe(201);
    const subsidyId = sub.json().subsidy.id as string;
    const coupon = await api('POST', '/ops/coupons', operator, {
      kind: 'platform_coupon',
      title: '平台券',
      discountFen: 600,
      startsAt: t.clock.now().toISOString(),
      endsAt: future(),
      totalQuantity: 10,
      autoClaim: true,
    });
    expect(coupon.statusCode, coupon.body).toBe(201);
    const expenseBefore = {
      subsidy: await accountBalance(t.db, 'platform_expense:subsidy'),
      coupon: await accountBalance(t.db, 'platform_expense:platform_coupon'),
    };

    // 2 × (9900 − 1000) − 600 = 17200 paid; 2600 platform-funded.
    const order = await pay([{ skuId: sku, quantity: 2 }]);
    expect(order.totalFen).toBe(17_200);
    expect(order.platformFundedFen).toBe(2600);

    // One unit comes back (merchant-funded refund of what it paid): its subsidy returns to the budget.
    const line = order.lines[0];
    await t.db.transaction().execute((trx) =>
      t.services.orders.refundLines(trx, {
        orderId: order.id,
        reference: `return:${order.id}`,
        reason: 'test',
        actor: 'system:test',
        funder: 'merchant',
        lines: [{ skuId: sku, quantity: 1, amountFen: line.paidFen / 2 }],
      }),
    );
    const budget = (await api('GET', '/ops/subsidies', operator))
      .json()
      .items.find((s: { id: string }) => s.id === subsidyId);
    expect([budget.drawnFen, budget.skus[0].drawnUnits]).toEqual([1000, 1]);

    const shipped = await api('POST', `/merchant/orders/${order.id}/ship`, merchant, {
      carrier: 'sf',
      trackingNo: 'SF1234567890',
    });
    expect(shipped.statusCode, shipped.body).toBe(200);
    const done = await api('POST', `/orders/${order.id}/confirm-receipt`, buyer);
    expect(done.statusCode, done.body).toBe(200);
    // The merchant is paid for the unit kept: its half of the escrow and of the platform-funded discounts.
    const settlement = await sql<{ account: string; amount_fen: number }>`
      select e.account, e.amount_fen::int as amount_fen from ledger_entries e join ledger_transactions x on x.id = e.transaction_id
      where x.kind = 'settlement' and x.reference = ${order.id} order by e.id`.execute(t.db);
    const by = new Map(settlement.rows.map((r) => [r.account, r.amount_fen]));
    expect(by.get('platform_expense:subsidy')).toBe(1000);
    expect(by.get('platform_expense:platform_coupon')).toBe(300);
    expect(await accountBalance(t.db, 'platform_expense:subsidy')).toBe(expenseBefore.subsidy + 1000);
    expect(await accountBalance(t.db, 'platform_expense:platform_coupon')).toBe(expenseBefore.coupon + 300);
    expect((await trialBalance(t.db)).totalFen).toBe(0);
  });

  it('an order refunded in full after shipping gives its coupons back; a partial refund does not', async () => {
    const sku = tee.skus.get('S|黑色') as string;
    const created = await api('POST', '/merchant/coupons', merchant, {
      kind: 'store_coupon',
      title: '店铺券',
      discountFen: 500,
      startsAt: t.clock.now().toISOString(),
      endsAt: future(),
      totalQuantity: 10,
    });
    const couponId = created.json().coupon.id as string;
    expect((await api('POST', `/coupons/${couponId}/claim`, buyer)).statusCode).toBe(201);
    const order = await pay([{ skuId: sku, quantity: 2 }]);
    expect(order.totalFen).toBe(2 * 9900 - 500);
    const shipped = await api('POST', `/merchant/orders/${order.id}/ship`, merchant, {
      carrier: 'sf',
      trackingNo: 'SF1234567891',
    });
    expect(shipped.statusCode, shipped.body).toBe(200);
    const status = async () =>
      (await api('GET', '/coupons/mine', buyer))
        .json()
        .items.find((c: { coupon: { id: string } }) => c.coupon.id === couponId).status;
    const refund = (n: number, amountFen: number) =>
      t.db.transaction().execute((trx) =>
        t.services.orders.refundLines(trx, {
          orderId: order.id,
          reference: `return:${order.id}:${n}`,
          reason: 'test',
          actor: 'system:test',
          funder: 'merchant',
          lines: [{ skuId: sku, quantity: 1, amountFen }],
        }),
      );
    const half = order.lines[0].paidFen / 2;
    await refund(1, Math.floor(half));
    expect(await status()).toBe('used');
    await refund(2, order.lines[0].paidFen - Math.floor(half));
    expect(await status()).toBe('available');
    expect((await trialBalance(t.db)).totalFen).toBe(0);
  });
});
