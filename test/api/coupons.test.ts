import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverEvents } from '../support/events.ts';
import { testAddress } from '../support/fixtures.ts';
import { apiOf, apparelMerchant, createApparel } from '../support/sizing-fixtures.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

const HOUR = 3_600_000;

/** Coupons and subsidies over time, under races, and refused input. */
describe('coupons and subsidies: windows, limits, races, restore, price history', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  let merchant: string;
  let operator: string;
  let storeId: string;
  let tee: { productId: string; skus: Map<string, string> };
  let phone = 13600006000;

  const at = (ms: number) => new Date(t.clock.now().getTime() + ms).toISOString();
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
  const quote = async (buyer: string | undefined, lines: Array<{ skuId: string; quantity: number }>) => {
    const res = await api('POST', '/quote', buyer, { lines });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().quote;
  };
  const createCoupon = async (who: string, path: string, body: object) => {
    const res = await api('POST', path, who, {
      title: '优惠券',
      startsAt: at(0),
      endsAt: at(24 * HOUR),
      totalQuantity: 1000,
      ...body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().coupon.id as string;
  };
  const sku = (key: string) => tee.skus.get(key) as string;

  beforeAll(async () => {
    t = await createTestApp({ sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } });
    api = apiOf(t);
    ({ cookie: merchant, storeId } = await apparelMerchant(t, '13700006001', '券店'));
    await t.services.identity.provision('13900006000', 'operator', 'ops');
    operator = await t.signIn('13900006000', 'operator');
    tee = await createApparel(t, merchant, { sizes: ['S', 'M', 'L', 'XL'], colors: ['黑色', '白色'] });
  });
  afterAll(async () => t?.close());

  it('a coupon is claimable and applies only inside its window (test clock)', async () => {
    const id = await createCoupon(operator, '/ops/coupons', {
      kind: 'platform_coupon',
      discountFen: 700,
      startsAt: at(HOUR),
      endsAt: at(3 * HOUR),
    });
    const buyer = await newBuyer();
    const early = await api('POST', `/coupons/${id}/claim`, buyer);
    expect(early.statusCode, early.body).toBe(409);
    expect(early.json().error.code).toBe('coupon_not_started');
    t.clock.advance(HOUR);
    const claimed = await api('POST', `/coupons/${id}/claim`, buyer);
    expect(claimed.statusCode, claimed.body).toBe(201);
    const lines = [{ skuId: sku('S|黑色'), quantity: 1 }];
    expect((await quote(buyer, lines)).totalFen).toBe(9200);
    t.clock.advance(2 * HOUR);
    expect((await quote(buyer, lines)).totalFen).toBe(9900);
    const late = await api('POST', `/coupons/${id}/claim`, await newBuyer());
    expect(late.json().error.code).toBe('coupon_expired');
    const mine = (await api('GET', '/coupons/mine', buyer)).json().items;
    expect(mine).toMatchObject([{ status: 'expired', coupon: { id } }]);
  });

  it('per-buyer limit and total quantity hold', async () => {
    const id = await createCoupon(merchant, '/merchant/coupons', {
      kind: 'store_coupon',
      discountFen: 300,
      perBuyerLimit: 2,
      totalQuantity: 3,
    });
    const buyer = await newBuyer();
    expect((await api('POST', `/coupons/${id}/claim`, buyer)).statusCode).toBe(201);
    expect((await api('POST', `/coupons/${id}/claim`, buyer)).statusCode).toBe(201);
    const third = await api('POST', `/coupons/${id}/claim`, buyer);
    expect(third.json().error.code).toBe('coupon_limit_reached');
    expect((await api('POST', `/coupons/${id}/claim`, await newBuyer())).statusCode).toBe(201);
    const sold = await api('POST', `/coupons/${id}/claim`, await newBuyer());
    expect(sold.json().error.code).toBe('coupon_sold_out');
    // Two claims: two orders can use one each, never both on one order (one store coupon per store).
    const lines = [{ skuId: sku('M|黑色'), quantity: 1 }];
    const q = await quote(buyer, lines);
    expect(q.coupons).toMatchObject([{ id, fen: 300 }]);
    const a = await checkout(buyer, lines);
    const b = await checkout(buyer, lines);
    expect([a.json().checkout.totalFen, b.json().checkout.totalFen]).toEqual([9600, 9600]);
    const c = await checkout(buyer, lines);
    expect(c.json().checkout.totalFen).toBe(9900);
    await api('POST', `/merchant/coupons/${id}/stop`, merchant);
  });

  it('a claimed coupon is used once even by racing checkouts', async () => {
    const id = await createCoupon(operator, '/ops/coupons', { kind: 'platform_coupon', discountFen: 1000 });
    const buyer = await newBuyer();
    expect((await api('POST', `/coupons/${id}/claim`, buyer)).statusCode).toBe(201);
    const lines = [{ skuId: sku('L|黑色'), quantity: 1 }];
    const results = await Promise.all(Array.from({ length: 4 }, () => checkout(buyer, lines)));
    const ok = results.filter((r) => r.statusCode === 201);
    for (const r of results) expect([201, 409]).toContain(r.statusCode);
    const discounted = ok.filter((r) => r.json().checkout.totalFen === 8900);
    expect(discounted).toHaveLength(1);
    const used = await sql<{ n: number }>`
      select count(*)::int as n from coupon_redemptions r join coupon_claims c on c.id = r.claim_id
      where c.coupon_id = ${id} and not r.released`.execute(t.db);
    expect(used.rows[0]?.n).toBe(1);
    await api('POST', `/ops/coupons/${id}/stop`, operator);
  });

  it('a subsidy budget is never overspent by racing checkouts, and comes back on cancel and expiry', async () => {
    const target = sku('XL|黑色');
    const created = await api('POST', '/ops/subsidies', operator, {
      title: '限量补贴',
      totalFen: 3000,
      startsAt: at(0),
      endsAt: at(24 * HOUR),
      skus: [{ skuId: target, fenPerUnit: 1000, capUnits: 100 }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const subsidyId = created.json().subsidy.id as string;
    const buyers = await Promise.all(Array.from({ length: 8 }, () => newBuyer()));
    const results = await Promise.all(buyers.map((b) => checkout(b, [{ skuId: target, quantity: 1 }])));
    for (const r of results) expect([201, 409], r.body).toContain(r.statusCode);
    const placed = results.filter((r) => r.statusCode === 201).map((r) => r.json().checkout);
    const subsidised = placed.filter((c) => c.totalFen === 8900);
    expect(subsidised).toHaveLength(3);
    const budget = async () =>
      (await api('GET', '/ops/subsidies', operator))
        .json()
        .items.find((s: { id: string }) => s.id === subsidyId);
    expect((await budget()).drawnFen).toBe(3000);
    const funded = await sql<{ n: number }>`
      select coalesce(sum(platform_funded_fen), 0)::int as n from orders
      where id = any(${placed.map((c) => c.orders[0].id)}::uuid[])`.execute(t.db);
    expect(funded.rows[0]?.n).toBe(3000);
    // The budget is spent: the quote shows the list price.
    expect((await quote(await newBuyer(), [{ skuId: target, quantity: 1 }])).totalFen).toBe(9900);
    // A cancel gives one unit back; the next buyer gets it.
    const first = subsidised[0];
    const buyerOf =
      buyers[results.findIndex((r) => r.statusCode === 201 && r.json().checkout.id === first.id)];
    expect((await api('POST', `/orders/${first.orders[0].id}/cancel`, buyerOf)).statusCode).toBe(200);
    expect((await budget()).drawnFen).toBe(2000);
    expect((await quote(await newBuyer(), [{ skuId: target, quantity: 1 }])).totalFen).toBe(8900);
    // Unpaid orders that expire give theirs back too.
    t.clock.advance((t.config.unpaidOrderTtlMinutes + 1) * 60_000);
    await t.services.orders.expireDue(t.clock.now());
    expect((await budget()).drawnFen).toBe(0);
    expect((await budget()).skus[0].drawnUnits).toBe(0);
  });

  it('an unpaid order that expires gives its coupons back; a paid one keeps them used', async () => {
    const id = await createCoupon(merchant, '/merchant/coupons', {
      kind: 'store_coupon',
      discountFen: 400,
      perBuyerLimit: 1,
    });
    const buyer = await newBuyer();
    expect((await api('POST', `/coupons/${id}/claim`, buyer)).statusCode).toBe(201);
    const lines = [{ skuId: sku('S|黑色'), quantity: 1 }];
    const placed = await checkout(buyer, lines);
    expect(placed.json().checkout.totalFen).toBe(9500);
    const mine = async () => (await api('GET', '/coupons/mine', buyer)).json().items[0].status;
    expect(await mine()).toBe('used');
    t.clock.advance((t.config.unpaidOrderTtlMinutes + 1) * 60_000);
    expect(await t.services.orders.expireDue(t.clock.now())).toBeGreaterThan(0);
    expect(await mine()).toBe('available');
    // Usable again, once.
    const again = await checkout(buyer, lines);
    expect(again.json().checkout.totalFen).toBe(9500);
    expect((await checkout(buyer, lines)).json().checkout.totalFen).toBe(9900);
    await api('POST', `/merchant/coupons/${id}/stop`, merchant);
  });

  it('a follow-store or fan coupon is neither applied unheld, nor claimed by hand, nor listed as claimable', async () => {
    const follow = await createCoupon(merchant, '/merchant/coupons', {
      kind: 'follow_coupon',
      discountFen: 500,
    });
    const fan = await createCoupon(merchant, '/merchant/coupons', { kind: 'fan_coupon', discountFen: 300 });
    const buyer = await newBuyer();
    const lines = [{ skuId: sku('S|白色'), quantity: 1 }];
    expect((await quote(buyer, lines)).coupons).toEqual([]);
    expect((await checkout(buyer, lines)).json().checkout.totalFen).toBe(9900);
    for (const id of [follow, fan]) {
      const claim = await api('POST', `/coupons/${id}/claim`, buyer);
      expect(claim.statusCode).toBe(403);
      expect(claim.json().error.code).toBe('coupon_for_fans');
    }
    const claimable = (await api('GET', `/coupons?storeId=${storeId}`)).json().items;
    expect(claimable.map((c: { id: string }) => c.id)).not.toContain(follow);
    expect(claimable.map((c: { id: string }) => c.id)).not.toContain(fan);
    for (const id of [follow, fan]) await api('POST', `/merchant/coupons/${id}/stop`, merchant);
  });

  it('records every price change with cause and funder, publishes price.changed, and sorts by final price', async () => {
    const cheap = await createApparel(t, merchant, { title: '补贴T恤', sizes: ['M'], colors: ['灰色'] });
    const dear = await createApparel(t, merchant, { title: '平价T恤', sizes: ['M'], colors: ['蓝色'] });
    const cheapSku = cheap.skus.get('M|灰色') as string;
    const dearSku = dear.skus.get('M|蓝色') as string;
    const patched = await api('PATCH', `/merchant/products/${dear.productId}/skus/${dearSku}`, merchant, {
      priceFen: 6000,
    });
    expect(patched.statusCode, patched.body).toBe(200);
    // A subsidy starting in an hour: announced by the windows task when it opens.
    const created = await api('POST', '/ops/subsidies', operator, {
      title: '低价补贴',
      totalFen: 1_000_000,
      startsAt: at(HOUR),
      endsAt: at(2 * HOUR),
      skus: [{ skuId: cheapSku, fenPerUnit: 5000, capUnits: 10 }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const order = async () =>
      (await api('GET', `/products?storeId=${storeId}&sort=price_asc&pageSize=50`))
        .json()
        .items.map((i: { id: string; priceFen: number }) => [i.id, i.priceFen]);
    const before = await order();
    expect(before.findIndex((x: [string]) => x[0] === dear.productId)).toBeLessThan(
      before.findIndex((x: [string]) => x[0] === cheap.productId),
    );
    t.clock.advance(HOUR);
    expect(await t.services.pricing.runWindows()).toBe(1);
    expect(await t.services.pricing.runWindows()).toBe(0);
    await deliverEvents(t);
    const during = await order();
    expect(during[0]).toEqual([cheap.productId, 4900]);
    const page = (await api('GET', `/products/${cheap.productId}`)).json().product;
    expect(page.skus[0].finalPrice).toMatchObject({
      unitFen: 4900,
      listFen: 9900,
      breakdown: [
        { label: 'price.list', fen: 9900 },
        { label: 'price.subsidy', fen: -5000, funder: 'platform' },
      ],
    });
    t.clock.advance(HOUR);
    expect(await t.services.pricing.runWindows()).toBe(1);
    await deliverEvents(t);
    expect((await order()).find((x: [string]) => x[0] === cheap.productId)).toEqual([cheap.productId, 9900]);
    const history = (await api('GET', `/skus/${cheapSku}/price-history`)).json().items;
    expect(
      history.map((h: { cause: string; funder: string; subsidyFen: number }) => [
        h.cause,
        h.funder,
        h.subsidyFen,
      ]),
    ).toEqual([
      ['subsidy_end', 'platform', 0],
      ['subsidy_start', 'platform', 5000],
      ['merchant_price', 'merchant', 0],
    ]);
    const events = await sql<{ payload: { skuId: string; cause: string; funder: string } }>`
      select distinct payload from outbox where topic = 'price.changed' and payload->>'skuId' in (${cheapSku}, ${dearSku})`.execute(
      t.db,
    );
    expect(
      events.rows
        .map(
          (r) => `${r.payload.skuId === dearSku ? 'dear' : 'cheap'}:${r.payload.cause}:${r.payload.funder}`,
        )
        .sort(),
    ).toEqual(['cheap:subsidy:platform', 'cheap:subsidy:platform', 'dear:merchant_price:merchant']);
  });

  it('an automatic coupon serves buyers checking out at once (others claiming it is no price change)', async () => {
    const id = await createCoupon(operator, '/ops/coupons', {
      kind: 'platform_coupon',
      discountFen: 800,
      autoClaim: true,
    });
    const lines = [{ skuId: sku('M|白色'), quantity: 1 }];
    const buyers = await Promise.all(Array.from({ length: 8 }, () => newBuyer()));
    const results = await Promise.all(buyers.map((b) => checkout(b, lines)));
    for (const r of results) expect(r.statusCode, r.body).toBe(201);
    expect(results.map((r) => r.json().checkout.totalFen)).toEqual(Array(8).fill(9100));
    const claims = await sql<{ buyer_id: string; ordinal: number }>`
      select buyer_id, ordinal from coupon_claims where coupon_id = ${id}`.execute(t.db);
    expect(claims.rows).toHaveLength(8);
    expect(new Set(claims.rows.map((r) => r.buyer_id)).size).toBe(8);
    expect(claims.rows.every((r) => r.ordinal === 1)).toBe(true);
    await api('POST', `/ops/coupons/${id}/stop`, operator);
  });

  it("one buyer's racing checkouts claim an automatic coupon within the per-buyer limit", async () => {
    const id = await createCoupon(operator, '/ops/coupons', {
      kind: 'platform_coupon',
      discountFen: 800,
      autoClaim: true,
      perBuyerLimit: 1,
    });
    const buyer = await newBuyer();
    const lines = [{ skuId: sku('L|白色'), quantity: 1 }];
    const results = await Promise.all([checkout(buyer, lines), checkout(buyer, lines)]);
    for (const r of results) expect([201, 409], r.body).toContain(r.statusCode);
    const totals = results.filter((r) => r.statusCode === 201).map((r) => r.json().checkout.totalFen);
    // The first to commit uses the coupon; the other goes without it (or is refused): never both.
    expect(totals.filter((fen) => fen === 9100)).toHaveLength(1);
    for (const fen of totals) expect([9100, 9900]).toContain(fen);
    const claims = await sql<{ ordinal: number }>`
      select ordinal from coupon_claims where coupon_id = ${id}`.execute(t.db);
    expect(claims.rows).toEqual([{ ordinal: 1 }]);
    await api('POST', `/ops/coupons/${id}/stop`, operator);
  });

  it("a manual claim is numbered after the buyer's earlier claims of the coupon", async () => {
    const id = await createCoupon(operator, '/ops/coupons', {
      kind: 'platform_coupon',
      discountFen: 100,
      perBuyerLimit: 3,
    });
    const buyer = await newBuyer();
    for (let i = 0; i < 3; i += 1) {
      expect((await api('POST', `/coupons/${id}/claim`, buyer)).statusCode).toBe(201);
    }
    const claims = await sql<{ ordinal: number }>`
      select ordinal from coupon_claims where coupon_id = ${id} order by ordinal`.execute(t.db);
    expect(claims.rows.map((r) => r.ordinal)).toEqual([1, 2, 3]);
    await api('POST', `/ops/coupons/${id}/stop`, operator);
  });

  it('refuses bad input with a code', async () => {
    const buyer = await newBuyer();
    const lines = [{ skuId: sku('S|黑色'), quantity: 1 }];
    const unknown = await api('POST', '/quote', buyer, { lines: [{ skuId: randomUUID(), quantity: 1 }] });
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([422, 'unknown_sku']);
    const zero = await api('POST', '/quote', buyer, { lines: [{ skuId: sku('S|黑色'), quantity: 0 }] });
    expect(zero.statusCode).toBe(400);
    const p1 = await createCoupon(operator, '/ops/coupons', { kind: 'platform_coupon', discountFen: 100 });
    const p2 = await createCoupon(operator, '/ops/coupons', { kind: 'platform_coupon', discountFen: 200 });
    await api('POST', `/coupons/${p1}/claim`, buyer);
    await api('POST', `/coupons/${p2}/claim`, buyer);
    const both = await api('POST', '/quote', buyer, { lines, couponIds: [p1, p2] });
    expect([both.statusCode, both.json().error.code]).toEqual([422, 'coupons_not_stackable']);
    const chosen = await api('POST', '/quote', buyer, { lines, couponIds: [p1] });
    expect(chosen.json().quote.totalFen).toBe(9800);
    const none = await api('POST', '/quote', buyer, { lines, couponIds: [] });
    expect(none.json().quote.totalFen).toBe(9900);
    const notMine = await api('POST', '/quote', await newBuyer(), { lines, couponIds: [p1] });
    expect([notMine.statusCode, notMine.json().error.code]).toEqual([422, 'coupon_not_applicable']);
    const refusedCheckout = await checkout(await newBuyer(), lines, { couponIds: [p1] });
    expect(refusedCheckout.json().error.code).toBe('coupon_not_applicable');
    // A checkout with chosen coupons charges exactly those.
    const withChosen = await checkout(buyer, lines, { couponIds: [p1] });
    expect(withChosen.json().checkout.totalFen).toBe(9800);

    const bad = async (who: string, path: string, body: object, code: string) => {
      const res = await api('POST', path, who, body);
      expect([res.statusCode, res.json().error?.code], res.body).toEqual([422, code]);
    };
    const coupon = { title: '券', startsAt: at(0), endsAt: at(HOUR), totalQuantity: 10 };
    await bad(
      merchant,
      '/merchant/coupons',
      { ...coupon, kind: 'platform_coupon', discountFen: 100 },
      'coupon_kind_not_allowed',
    );
    await bad(
      operator,
      '/ops/coupons',
      { ...coupon, kind: 'store_coupon', discountFen: 100 },
      'coupon_kind_not_allowed',
    );
    await bad(
      merchant,
      '/merchant/coupons',
      { ...coupon, kind: 'store_coupon', discountFen: 100, thresholdFen: 100 },
      'coupon_threshold_too_low',
    );
    await bad(
      merchant,
      '/merchant/coupons',
      { ...coupon, kind: 'store_coupon', discountFen: 100, endsAt: at(-1) },
      'invalid_window',
    );
    const subsidy = { title: '补贴', totalFen: 100, startsAt: at(0), endsAt: at(HOUR) };
    await bad(
      operator,
      '/ops/subsidies',
      { ...subsidy, skus: [{ skuId: sku('S|黑色'), fenPerUnit: 9900, capUnits: 1 }] },
      'subsidy_exceeds_price',
    );
    await bad(
      operator,
      '/ops/subsidies',
      { ...subsidy, skus: [{ skuId: randomUUID(), fenPerUnit: 1, capUnits: 1 }] },
      'unknown_sku',
    );
    const missing = await api('POST', `/coupons/${randomUUID()}/claim`, buyer);
    expect(missing.statusCode).toBe(404);
    const asBuyer = await api('POST', '/ops/subsidies', buyer, { ...subsidy, skus: [] });
    expect(asBuyer.statusCode).toBe(403);
  });
});
