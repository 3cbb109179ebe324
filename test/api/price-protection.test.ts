import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PriceProtection } from '../../src/modules/guarantees/index.ts';
import { protectedLines, refundLinesBatch } from '../../src/modules/orders/index.ts';
import { quote } from '../../src/modules/pricing/index.ts';
import { countQueries } from '../../src/platform/query-counter.ts';
import { testAddress } from '../support/fixtures.ts';
import { placeAndPay, settlePayments } from '../support/payments.ts';
import { apiOf, apparelMerchant, createApparel, TEE_CHART, TEE_SIZES } from '../support/sizing-fixtures.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

const DAY = 86_400_000;

/**
 * Seven-day price protection (7天价保) through the API, on the test clock: a price drop refunds the
 * difference × quantity to buyers who paid within 7 days, charged to whoever caused the drop,
 * once per drop, never more than they paid.
 */
describe('price protection', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  let merchant: string;
  let buyer: string;
  let otherBuyer: string;
  let operator: string;
  let tee: { productId: string; skus: Map<string, string> };
  let skuSeq = 0;

  beforeAll(async () => {
    t = await createTestApp({ sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } });
    api = apiOf(t);
    ({ cookie: merchant } = await apparelMerchant(t, '13700001101', '价保服饰'));
    await t.services.identity.provision('13900001100', 'operator', 'ops');
    operator = await t.signIn('13900001100', 'operator');
    buyer = await t.signIn('13600001101');
    otherBuyer = await t.signIn('13600001102');
    tee = await createApparel(t, merchant, {
      sizeChart: TEE_CHART,
      sizes: TEE_SIZES,
      colors: ['黑色', '白色', '灰色', '红色'],
    });
  });
  afterAll(async () => t?.close());

  /** A SKU no other test touched, at its list price (9900). */
  const freshSku = () => [...tee.skus.values()][skuSeq++] as string;

  async function setPrice(skuId: string, priceFen: number) {
    const res = await api('PATCH', `/merchant/products/${tee.productId}/skus/${skuId}`, merchant, {
      priceFen,
    });
    expect(res.statusCode, res.body).toBe(200);
  }

  async function buy(who: string, skuId: string, quantity: number): Promise<string> {
    const checkout = await placeAndPay(
      t,
      who,
      { lines: [{ skuId, quantity }], address: testAddress },
      `pp-${randomUUID()}`,
    );
    return checkout.orders[0].id as string;
  }

  async function protection(who: string, orderId: string) {
    const res = await api('GET', `/orders/${orderId}/price-protection`, who);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as {
      windowEndsAt: string;
      active: boolean;
      totalFen: number;
      payouts: Array<{ amountFen: number; funder: string }>;
    };
  }

  async function ledgerOf(orderId: string) {
    const r = await sql<{ kind: string; account: string; amount_fen: string; funder: string }>`
      select t.kind, e.account, e.amount_fen, f.funder from refunds f
      join ledger_transactions t on t.reference = f.id::text
      join ledger_entries e on e.transaction_id = t.id
      where f.order_id = ${orderId} and f.reference like 'price-protection:%'
      order by t.created_at, e.amount_fen`.execute(t.db);
    return r.rows.map((x) => ({
      kind: x.kind,
      account: x.account,
      fen: Number(x.amount_fen),
      funder: x.funder,
    }));
  }

  it('a merchant price cut refunds the difference × quantity within 7 days, charged to the merchant', async () => {
    const sku = freshSku();
    const orderId = await buy(buyer, sku, 2);
    const before = await protection(buyer, orderId);
    expect(before.active).toBe(true);
    expect(new Date(before.windowEndsAt).getTime()).toBe(t.clock.now().getTime() + 7 * DAY);
    expect(before.totalFen).toBe(0);

    t.clock.advance(3 * DAY);
    await setPrice(sku, 9000);
    await settlePayments(t);
    const after = await protection(buyer, orderId);
    expect(after.totalFen).toBe(2 * 900);
    expect(after.payouts).toMatchObject([{ amountFen: 1800, funder: 'merchant', quantity: 2 }]);
    // Before settlement a merchant-funded refund comes out of the order's escrow; the provider refunds it.
    expect(await ledgerOf(orderId)).toEqual([
      { kind: 'refund', account: 'provider_clearing', fen: -1800, funder: 'merchant' },
      { kind: 'refund', account: 'order_escrow', fen: 1800, funder: 'merchant' },
    ]);
    // The provider refund was sent (the batch's one `payment.refunds` event sends each refund).
    const sent = await sql<{ fen: string }>`
      select s.amount_fen as fen from sandbox_provider_refunds s
      join refunds r on r.id::text = s.merchant_reference where r.order_id = ${orderId}`.execute(t.db);
    expect(sent.rows.map((r) => Number(r.fen))).toEqual([1800]);
    const mine = await api('GET', '/price-protection/payouts', buyer);
    expect(mine.json().totalFen).toBeGreaterThanOrEqual(1800);
    const costs = await api('GET', '/merchant/guarantee-costs', merchant);
    expect(costs.statusCode, costs.body).toBe(200);
    expect(costs.json().orders).toContainEqual(
      expect.objectContaining({ orderId, guarantee: 'price_protection', fen: 1800, count: 1 }),
    );
  });

  it('a new platform subsidy refunds the difference, charged to the platform', async () => {
    const sku = freshSku();
    const orderId = await buy(buyer, sku, 2);
    t.clock.advance(DAY);
    const subsidy = await api('POST', '/ops/subsidies', operator, {
      title: '低价补贴',
      totalFen: 1_000_000,
      startsAt: t.clock.now().toISOString(),
      endsAt: new Date(t.clock.now().getTime() + 30 * DAY).toISOString(),
      skus: [{ skuId: sku, fenPerUnit: 300, capUnits: 100 }],
    });
    expect(subsidy.statusCode, subsidy.body).toBe(201);
    await settlePayments(t);
    const p = await protection(buyer, orderId);
    expect(p.payouts).toMatchObject([{ amountFen: 600, funder: 'platform', quantity: 2 }]);
    expect(await ledgerOf(orderId)).toEqual([
      { kind: 'compensation', account: 'provider_clearing', fen: -600, funder: 'platform' },
      { kind: 'compensation', account: 'platform_expense:price_protection', fen: 600, funder: 'platform' },
    ]);
    const ops = await api('GET', '/ops/guarantee-costs', operator);
    expect(ops.statusCode, ops.body).toBe(200);
    expect(ops.json().items).toContainEqual({ guarantee: 'price_protection', fen: 600, count: 1 });
    // The merchant is not charged for it.
    const costs = await api('GET', '/merchant/guarantee-costs', merchant);
    expect(costs.json().orders.map((o: { orderId: string }) => o.orderId)).not.toContain(orderId);
  });

  it('after 7 days nothing is paid', async () => {
    const sku = freshSku();
    const orderId = await buy(buyer, sku, 1);
    t.clock.advance(7 * DAY + 1000);
    expect((await protection(buyer, orderId)).active).toBe(false);
    await setPrice(sku, 5000);
    await settlePayments(t);
    expect((await protection(buyer, orderId)).totalFen).toBe(0);
    expect(await ledgerOf(orderId)).toEqual([]);
  });

  it('a second delivery of the same drop pays nothing', async () => {
    const sku = freshSku();
    const orderId = await buy(buyer, sku, 1);
    await setPrice(sku, 9400);
    const drop = await sql<{
      payload: { skuId: string; changeId: string; cause: 'merchant_price'; at: string };
    }>`
      select payload from outbox where topic = 'price.changed' and subscriber = 'guarantees.price-protection'
      and payload->>'skuId' = ${sku}`.execute(t.db);
    await settlePayments(t);
    expect((await protection(buyer, orderId)).totalFen).toBe(500);
    const event = drop.rows[0]?.payload;
    if (!event) throw new Error('no price.changed event for the SKU');
    const again = await t.services.guarantees.onPriceChanged({ ...event, at: new Date(event.at) });
    expect(again.payouts).toBe(0);
    expect((await protection(buyer, orderId)).totalFen).toBe(500);
    expect(await ledgerOf(orderId)).toHaveLength(2);
  });

  it("repeated drops pay each drop's difference, never more than was paid in total", async () => {
    const sku = freshSku();
    const orderId = await buy(otherBuyer, sku, 3);
    for (const price of [9500, 9000, 9200, 8000]) {
      await setPrice(sku, price);
      await settlePayments(t);
    }
    // 9900 → 9500 → 9000 → (a rise pays nothing) → 8000: (9900 − 8000) × 3 in three payouts.
    const p = await protection(otherBuyer, orderId);
    expect(p.payouts.map((x) => x.amountFen).sort((a, b) => a - b)).toEqual([1200, 1500, 3000]);
    expect(p.totalFen).toBe(1900 * 3);
    await setPrice(sku, 1);
    await settlePayments(t);
    const floor = await protection(otherBuyer, orderId);
    expect(floor.totalFen).toBe((9900 - 1) * 3);
    expect(floor.totalFen).toBeLessThanOrEqual(9900 * 3);
    const line = await sql<{ paid_fen: string; refunded_fen: string }>`
      select paid_fen, refunded_fen from order_lines where order_id = ${orderId}`.execute(t.db);
    expect(Number(line.rows[0]?.refunded_fen)).toBe(floor.totalFen);
    expect(Number(line.rows[0]?.refunded_fen)).toBeLessThanOrEqual(Number(line.rows[0]?.paid_fen));
  });

  it('a buyer check answers the comparison and pays what is due, once', async () => {
    const sku = freshSku();
    const orderId = await buy(buyer, sku, 2);
    const none = await api('POST', `/orders/${orderId}/price-protection/check`, buyer);
    expect(none.statusCode, none.body).toBe(200);
    expect(none.json()).toMatchObject({
      paidNowFen: 0,
      lines: [
        {
          skuId: sku,
          quantity: 2,
          paidFen: 19800,
          nowFen: 19800,
          differenceFen: 0,
          protected: true,
          payoutFen: 0,
        },
      ],
    });
    // The price drops; the buyer checks before the subscriber ran.
    await setPrice(sku, 9650);
    const check = await api('POST', `/orders/${orderId}/price-protection/check`, buyer);
    expect(check.statusCode, check.body).toBe(200);
    expect(check.json()).toMatchObject({
      paidNowFen: 500,
      lines: [{ skuId: sku, paidFen: 19800, nowFen: 19300, differenceFen: 500, payoutFen: 500 }],
    });
    expect(check.json().payouts).toMatchObject([{ amountFen: 500, source: 'buyer_check' }]);
    // The subscriber delivering the same drop, and a second check, pay nothing more.
    await settlePayments(t);
    const again = await api('POST', `/orders/${orderId}/price-protection/check`, buyer);
    expect(again.json()).toMatchObject({
      paidNowFen: 0,
      lines: [{ paidFen: 19300, nowFen: 19300, differenceFen: 0 }],
    });
    expect((await protection(buyer, orderId)).totalFen).toBe(500);
    // Someone else's order is not found.
    expect((await api('POST', `/orders/${orderId}/price-protection/check`, otherBuyer)).statusCode).toBe(404);
    expect((await api('GET', `/orders/${orderId}/price-protection`, otherBuyer)).statusCode).toBe(404);
  });

  it('a drop costs the same number of SQL statements for 2 and for 7 protected orders (batched, no N+1)', async () => {
    const statementsFor = async (orders: number) => {
      const sku = freshSku();
      for (let i = 0; i < orders; i += 1) await buy(i % 2 ? buyer : otherBuyer, sku, 1);
      const counter = countQueries(t.db);
      const protection = new PriceProtection({
        db: counter.db,
        clock: t.clock,
        orders: {
          protectedLines,
          refundLines: (trx, input) => t.services.orders.refundLines(trx, input),
          refundLinesBatch: (trx, batch) =>
            refundLinesBatch(trx, { clock: t.clock, events: t.events }, batch),
        },
        pricing: { quote },
        batchSize: 100,
      });
      await setPrice(sku, 9000);
      const drop = await sql<{ payload: { skuId: string; changeId: string; at: string } }>`
        select payload from outbox where topic = 'price.changed' and subscriber = 'guarantees.price-protection'
        and payload->>'skuId' = ${sku} and done_at is null`.execute(t.db);
      const event = drop.rows[0]?.payload;
      if (!event) throw new Error('no price.changed event for the SKU');
      counter.reset();
      const outcome = await protection.onPriceChanged({
        ...event,
        cause: 'merchant_price',
        at: new Date(event.at),
      });
      const statements = counter.count();
      expect(outcome).toMatchObject({ linesChecked: orders, payouts: orders, paidFen: orders * 900 });
      // The subscriber's own delivery of the same drop pays nothing more.
      await settlePayments(t);
      const paid = await sql<{ n: number }>`
        select count(*)::int as n from price_protection_payouts where sku_id = ${sku}`.execute(t.db);
      expect(paid.rows[0]?.n).toBe(orders);
      return statements;
    };
    const two = await statementsFor(2);
    expect(await statementsFor(7)).toBe(two);
    // drop, lines, one quote without coupons (SKU prices, subsidies), payouts, lines + orders,
    // refunds + payments + ledger, provider refunds, drop done.
    expect(two).toBe(9);
  });

  it('the operator sees what each guarantee costs the platform', async () => {
    const res = await api('GET', '/ops/guarantee-costs', operator);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().priceProtection.drops).toBeGreaterThan(0);
    expect((await api('GET', '/ops/guarantee-costs', buyer)).statusCode).toBe(403);
  });
});
