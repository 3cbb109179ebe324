import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiOf } from '../support/api.ts';
import { accountIdOf, createProduct, createStore, testAddress } from '../support/fixtures.ts';
import { placeAndPay, settlePayments } from '../support/payments.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * GET /merchant/dashboard against known orders: sold orders counted on the Beijing day they were
 * paid (not the UTC day), the 30-day window and its zero days, orders to ship, and what does not
 * count (unpaid, refunded, another store's).
 */
describe('merchant dashboard', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  let merchant: string;
  let storeId: string;
  let otherStoreId: string;
  let buyers = 0;

  /** A new buyer checks out one unit priced `priceFen` in `store` at `at`, and pays unless told not to. */
  async function order(at: string, priceFen: number, options: { store?: string; pay?: boolean } = {}) {
    t.clock.set(at);
    buyers += 1;
    const buyer = await t.signIn(`1360000${String(3000 + buyers).padStart(4, '0')}`);
    const { skuIds } = await createProduct(t.db, options.store ?? storeId, {
      skus: [{ priceFen, stock: 5 }],
    });
    const checkout = await placeAndPay(
      t,
      buyer,
      { lines: [{ skuId: skuIds[0], quantity: 1 }], address: testAddress },
      `dashboard-${buyers}`,
      options,
    );
    return { buyer, orderId: checkout.orders[0].id as string };
  }

  beforeAll(async () => {
    t = await createTestApp({ sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } });
    api = apiOf(t);
    merchant = await t.signIn('13700000001', 'merchant');
    ({ storeId } = await createStore(t.db, { ownerAccountId: await accountIdOf(t.db, '13700000001') }));
    ({ storeId: otherStoreId } = await createStore(t.db));

    // "Now" is 2026-03-02 20:00 UTC = 2026-03-03 04:00 in Beijing: today is 03-03, the window 02-02…03-03.
    await order('2026-01-31T16:30:00Z', 1_000); // 02-01 00:30 Beijing: the day before the window
    await order('2026-02-01T16:30:00Z', 2_000); // 02-02 00:30 Beijing: the window's first day
    await order('2026-03-01T15:59:00Z', 4_000); // 03-01 23:59 Beijing
    await order('2026-03-01T16:01:00Z', 8_000); // 03-02 00:01 Beijing
    const shipped = await order('2026-03-02T17:30:00Z', 16_000); // today 01:30 Beijing (UTC still says 03-02)
    const shipping = await api('POST', `/merchant/orders/${shipped.orderId}/ship`, merchant, {
      carrier: 'sf',
      trackingNo: 'SF123456',
    });
    expect(shipping.statusCode, shipping.body).toBe(200);
    await order('2026-03-02T18:00:00Z', 32_000); // today, paid, to ship
    const refunded = await order('2026-03-02T18:30:00Z', 64_000); // today, then cancelled with a refund
    const cancel = await api('POST', `/orders/${refunded.orderId}/cancel`, refunded.buyer);
    expect(cancel.statusCode, cancel.body).toBe(200);
    await settlePayments(t);
    await order('2026-03-02T19:00:00Z', 128_000, { pay: false }); // today, never paid
    await order('2026-03-02T19:30:00Z', 256_000, { store: otherStoreId }); // another store's sale
    t.clock.set('2026-03-02T20:00:00Z');
  });
  afterAll(async () => t.close());

  it("shows orders to ship, today's GMV and orders, and 30 days of GMV and orders with empty days at 0", async () => {
    const res = await api('GET', '/merchant/dashboard', merchant);
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json();
    expect(d).toMatchObject({ timeZone: 'Asia/Shanghai', today: '2026-03-03' });
    // paid and not shipped: 02-01, 02-02, 03-01, 03-02 and today's 32 000
    expect(d.toShip).toBe(5);
    expect(d.todayOrders).toBe(2);
    expect(d.todayGmvFen).toBe(16_000 + 32_000);
    expect(d.daily).toHaveLength(30);
    expect(d.daily[0]).toEqual({ day: '2026-02-02', gmvFen: 2_000, orders: 1 });
    expect(d.daily.slice(-3)).toEqual([
      { day: '2026-03-01', gmvFen: 4_000, orders: 1 },
      { day: '2026-03-02', gmvFen: 8_000, orders: 1 },
      { day: '2026-03-03', gmvFen: 48_000, orders: 2 },
    ]);
    const quiet = d.daily.slice(1, -3);
    expect(quiet).toHaveLength(26);
    expect(
      quiet.every((day: { gmvFen: number; orders: number }) => day.gmvFen === 0 && day.orders === 0),
    ).toBe(true);
    expect(quiet[0].day).toBe('2026-02-03');
  });

  it('is for merchants with a store only', async () => {
    const buyer = await t.signIn('13600009999');
    expect((await api('GET', '/merchant/dashboard', buyer)).statusCode).toBe(403);
    const storeless = await t.signIn('13700000009', 'merchant');
    expect((await api('GET', '/merchant/dashboard', storeless)).statusCode).toBe(403);
    expect((await api('GET', '/merchant/dashboard')).statusCode).toBe(401);
  });
});
