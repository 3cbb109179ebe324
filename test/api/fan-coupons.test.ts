import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testAddress } from '../support/fixtures.ts';
import { apiOf, apparelMerchant, createApparel } from '../support/sizing-fixtures.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

const HOUR = 3_600_000;

/** Follow-store coupons granted on follow (新客关注店铺优惠券) and fan-only coupons (粉丝专享券). */
describe('follow-store and fan-only coupons', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  let merchant: string;
  let storeId: string;
  let skuId: string;
  let followCoupon: string;
  let fanCoupon: string;
  let phone = 13600015000;

  const newBuyer = () => {
    phone += 1;
    return t.signIn(String(phone));
  };
  const follow = (buyer: string) => api('PUT', `/stores/${storeId}/follow`, buyer, { source: 'store' });
  const unfollow = (buyer: string) => api('DELETE', `/stores/${storeId}/follow`, buyer);
  const claimFan = (buyer: string, couponId = fanCoupon) =>
    api('POST', `/stores/${storeId}/fan-coupons/${couponId}/claim`, buyer);
  const checkout = (buyer: string) =>
    api(
      'POST',
      '/checkouts',
      buyer,
      { lines: [{ skuId, quantity: 1 }], address: testAddress },
      { 'idempotency-key': randomUUID() },
    );
  const mine = async (buyer: string) =>
    (await api('GET', '/coupons/mine', buyer)).json().items as Array<{
      status: string;
      coupon: { id: string };
    }>;
  const createCoupon = async (kind: string, discountFen: number) => {
    const at = (ms: number) => new Date(t.clock.now().getTime() + ms).toISOString();
    const res = await api('POST', '/merchant/coupons', merchant, {
      kind,
      title: kind,
      discountFen,
      startsAt: at(0),
      endsAt: at(24 * HOUR),
      totalQuantity: 100,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().coupon).toMatchObject({ autoClaim: false, perBuyerLimit: 1 });
    return res.json().coupon.id as string;
  };

  beforeAll(async () => {
    t = await createTestApp({ sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } });
    api = apiOf(t);
    ({ cookie: merchant, storeId } = await apparelMerchant(t, '13700015001', '粉丝券店'));
    const tee = await createApparel(t, merchant, { sizes: ['M'], colors: ['黑色'] });
    skuId = tee.skus.get('M|黑色') as string;
    followCoupon = await createCoupon('follow_coupon', 500);
    fanCoupon = await createCoupon('fan_coupon', 300);
  });
  afterAll(async () => t?.close());

  it('lists the store’s follow and fan coupons for its page', async () => {
    const res = await api('GET', `/stores/${storeId}/fan-coupons`);
    expect(res.statusCode, res.body).toBe(200);
    expect(
      res
        .json()
        .items.map((c: { id: string }) => c.id)
        .sort(),
    ).toEqual([followCoupon, fanCoupon].sort());
  });

  it('grants the follow coupon on follow, once, even after unfollow and follow again; checkout applies it', async () => {
    const buyer = await newBuyer();
    const first = await follow(buyer);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ following: true, couponsGranted: [{ id: followCoupon }] });
    expect((await follow(buyer)).json().couponsGranted).toEqual([]);
    await unfollow(buyer);
    expect((await follow(buyer)).json().couponsGranted).toEqual([]);
    expect((await mine(buyer)).filter((c) => c.coupon.id === followCoupon)).toHaveLength(1);

    const placed = await checkout(buyer);
    expect(placed.statusCode, placed.body).toBe(201);
    expect(placed.json().checkout.totalFen).toBe(9900 - 500);
    expect((await mine(buyer)).find((c) => c.coupon.id === followCoupon)?.status).toBe('used');
    await unfollow(buyer);
    expect((await follow(buyer)).json().couponsGranted).toEqual([]);
  });

  it('does not grant the follow coupon to a buyer who bought from the store', async () => {
    const buyer = await newBuyer();
    expect((await checkout(buyer)).json().checkout.totalFen).toBe(9900);
    expect((await follow(buyer)).json().couponsGranted).toEqual([]);
    expect(await mine(buyer)).toEqual([]);
  });

  it('refuses a fan coupon to a non-fan and lets a fan claim it once', async () => {
    const buyer = await newBuyer();
    const refused = await claimFan(buyer);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('not_a_fan');
    await follow(buyer);
    const claimed = await claimFan(buyer);
    expect(claimed.statusCode, claimed.body).toBe(201);
    expect(claimed.json().claim.coupon).toMatchObject({ id: fanCoupon, kind: 'fan_coupon' });
    const again = await claimFan(buyer);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('coupon_limit_reached');
    // The follow coupon is not claimed through the fan route.
    expect((await claimFan(buyer, followCoupon)).statusCode).toBe(404);
  });

  it('the public claim route refuses both kinds', async () => {
    const buyer = await newBuyer();
    await follow(buyer);
    for (const id of [followCoupon, fanCoupon]) {
      const res = await api('POST', `/coupons/${id}/claim`, buyer);
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('coupon_for_fans');
    }
  });
});
