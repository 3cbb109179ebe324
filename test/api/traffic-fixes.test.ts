import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { impressionIdOf, newPageId } from '../../src/modules/traffic/impression-ids.ts';
import { TrafficService } from '../../src/modules/traffic/index.ts';
import { apiOf } from '../support/api.ts';
import { accountIdOf, createProduct, createStore, testAddress } from '../support/fixtures.ts';
import { placeAndPay } from '../support/payments.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * The reviewer's defects of the traffic module (issue 13), each through the API or the service on a
 * test app: signed-out browsing keeps its order credit, the cancel race, an order noted before its
 * impression was written, and sums beyond 32 bits.
 */
describe('traffic: review fixes', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  let merchant: string;
  let storeId: string;
  const products: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } });
    api = apiOf(t);
    merchant = await t.signIn('13720000091', 'merchant');
    ({ storeId } = await createStore(t.db, {
      ownerAccountId: await accountIdOf(t.db, '13720000091'),
      name: '登录归因店',
    }));
    for (let p = 0; p < 3; p += 1) {
      const { productId } = await createProduct(t.db, storeId, {
        title: `登录归因商品 ${p}`,
        skus: [{ priceFen: 1500 + 100 * p, stock: 50 }],
      });
      products.push(productId);
    }
  });
  afterAll(async () => t?.close());

  const credited = async () => {
    const res = await api('GET', '/merchant/traffic?days=7', merchant);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().rows as Array<{ orders: number; gmvFen: number; carts: number }>).reduce(
      (a, r) => ({ orders: a.orders + r.orders, gmvFen: a.gmvFen + r.gmvFen, carts: a.carts + r.carts }),
      { orders: 0, gmvFen: 0, carts: 0 },
    );
  };

  it('signed-out browsing: tap a card anonymously, sign in on the product page, cart and pay → credited', async () => {
    const feed = await api('GET', '/feed?limit=6');
    expect(feed.statusCode, feed.body).toBe(200);
    const setCookie = String(feed.headers['set-cookie'] ?? '');
    const anon = /gravity_viewer=([0-9a-f-]{36})/.exec(setCookie)?.[1];
    expect(anon).toBeDefined();
    const viewerCookie = `gravity_viewer=${anon}`;
    const card = (feed.json().items as Array<{ impressionId: string; productId: string | null }>).find(
      (i) => i.productId && products.includes(i.productId),
    );
    if (!card?.productId) throw new Error('the feed showed none of the store’s products');
    const click = await api('POST', '/feed/events', viewerCookie, {
      impressionId: card.impressionId,
      kind: 'click',
    });
    expect(click.statusCode, click.body).toBe(200);
    await t.services.traffic.flush();

    // Buying needs an account: the buyer signs in on the product page; the browser still sends the cookie.
    const buyer = `${await t.signIn('13620000091')}; ${viewerCookie}`;
    const sku = (await api('GET', `/products/${card.productId}`, buyer)).json().product.skus[0].id as string;
    const attribution = { channel: 'feed', impressionId: card.impressionId, contentId: null };
    const put = await api('PUT', `/cart/items/${sku}`, buyer, { quantity: 1, attribution });
    expect(put.statusCode, put.body).toBe(200);
    const cart = await api('POST', '/feed/events', buyer, { impressionId: card.impressionId, kind: 'cart' });
    expect(cart.statusCode, cart.body).toBe(200);
    expect(cart.json()).toEqual({ counted: true });

    const before = await credited();
    const co = await placeAndPay(t, buyer, { address: testAddress }, 'fix-anon-1');
    const paidFen = co.orders[0].lines[0].paidFen as number;
    expect(await credited()).toEqual({
      ...before,
      orders: before.orders + 1,
      gmvFen: before.gmvFen + paidFen,
    });

    // Another buyer who never carried that cookie cannot claim the impression.
    const stranger = await t.signIn('13620000092');
    const res = await api('POST', '/feed/events', stranger, {
      impressionId: card.impressionId,
      kind: 'click',
    });
    expect(res.statusCode).toBe(404);
  });

  /** A product impression shown to a signed-in buyer (written), and an order line bought from it. */
  const feedLine = async (phone: string, amountFen: number) => {
    const cookie = await t.signIn(phone);
    const buyerId = await accountIdOf(t.db, phone);
    const feed = await api('GET', '/feed?limit=6', cookie);
    const card = (feed.json().items as Array<{ impressionId: string; productId: string | null }>).find(
      (i) => i.productId && products.includes(i.productId),
    );
    if (!card?.productId) throw new Error('the feed showed none of the store’s products');
    await t.services.traffic.flush();
    const line = {
      skuId: randomUUID(),
      productId: card.productId,
      quantity: 1,
      amountFen,
      attribution: { channel: 'feed', impressionId: card.impressionId, contentId: null },
    };
    return { buyerId, line, impressionId: card.impressionId };
  };

  it('cancel race: order.cancelled before the retried order.paid → the late credit is skipped', async () => {
    const traffic = t.services.traffic;
    const { buyerId, line } = await feedLine('13620000093', 7_000);
    const orderId = randomUUID();
    const before = await credited();
    // order.paid first: order.placed not noted yet → it retries.
    await expect(traffic.creditPaidOrder({ orderId, lines: [line] })).rejects.toThrow(/not handled yet/);
    // Meanwhile the paid order is cancelled.
    await traffic.reverseOrder(orderId, [line]);
    // Then order.placed is noted and the retried order.paid runs: nothing is credited.
    await traffic.notePlacedOrder({ orderId, buyerId, lines: [line] });
    expect(await traffic.creditPaidOrder({ orderId, lines: [line] })).toBe(0);
    expect(await credited()).toEqual(before);
    // A second cancellation / refund changes nothing either.
    await traffic.reverseOrder(orderId, [line]);
    expect(await credited()).toEqual(before);
  });

  it('an order noted before its impression is written retries, then is credited once it is', async () => {
    const traffic = t.services.traffic;
    const phone = '13620000094';
    const cookie = await t.signIn(phone);
    const buyerId = await accountIdOf(t.db, phone);
    // Another API process shows the feed; its impressions wait in its buffer (flushed every 250 ms).
    const other = new TrafficService({
      db: t.db,
      clock: t.clock,
      log: pino({ level: 'silent' }),
      random: () => 0.5,
    });
    const page = await other.feed({ buyerId, anonId: null, fresh: false }, { limit: 6 });
    const card = page.items.find((i) => i.productId && products.includes(i.productId));
    if (!card?.productId) throw new Error('the feed showed none of the store’s products');
    expect(cookie).toBeTruthy();
    const line = {
      skuId: randomUUID(),
      productId: card.productId,
      quantity: 1,
      amountFen: 3_300,
      attribution: { channel: 'feed', impressionId: card.impressionId, contentId: null },
    };
    const orderId = randomUUID();
    const before = await credited();
    await expect(traffic.notePlacedOrder({ orderId, buyerId, lines: [line] })).rejects.toThrow(
      /not written yet/,
    );
    const noted = await sql`select 1 from traffic_orders where order_id = ${orderId}`.execute(t.db);
    expect(noted.rows).toHaveLength(0);
    // The other process flushes; the retried delivery notes the line and the payment credits it.
    await other.flush();
    await traffic.notePlacedOrder({ orderId, buyerId, lines: [line] });
    expect(await traffic.creditPaidOrder({ orderId, lines: [line] })).toBe(1);
    const after = await credited();
    expect({ orders: after.orders, gmvFen: after.gmvFen }).toEqual({
      orders: before.orders + 1,
      gmvFen: before.gmvFen + 3_300,
    });
    await other.stop();
  });

  it('an impression id no page ever had is noted without credit at once, not retried into the dead letters', async () => {
    const traffic = t.services.traffic;
    const phone = '13620000095';
    await t.signIn(phone);
    const buyerId = await accountIdOf(t.db, phone);
    const before = await credited();
    // Made up by a client: shaped as an impression id, its page time far from now (a random UUID), or
    // recent-looking but an hour old by the time its order is noted (as a page pruned by retention would be).
    const hourAgo = new Date(t.clock.now().getTime() - 3_600_000);
    for (const impressionId of [randomUUID(), impressionIdOf(newPageId(hourAgo), 2)]) {
      const orderId = randomUUID();
      const line = {
        skuId: randomUUID(),
        productId: products[0] as string,
        quantity: 1,
        amountFen: 5_000,
        attribution: { channel: 'feed', impressionId, contentId: null },
      };
      await traffic.notePlacedOrder({ orderId, buyerId, lines: [line] });
      const noted = await sql`select 1 from traffic_orders where order_id = ${orderId}`.execute(t.db);
      expect(noted.rows).toHaveLength(1);
      expect(await traffic.creditPaidOrder({ orderId, lines: [line] })).toBe(0);
    }
    expect(await credited()).toEqual(before);
  });

  it('launch grants: many grants end in a clean 409, sums beyond 32 bits still plan and answer', async () => {
    await t.services.identity.provision('13900000091', 'operator', 'ops');
    const operator = await t.signIn('13900000091', 'operator');
    const grant = (impressions: number) =>
      api('POST', '/ops/traffic/launch-grants', operator, { storeId, impressions, periodDays: 1 });
    for (let i = 0; i < 9; i += 1) {
      const res = await grant(10_000_000);
      expect(res.statusCode, res.body).toBe(201);
    }
    const over = await grant(10_000_000);
    expect(over.statusCode, over.body).toBe(409);
    expect(over.json().error.code).toBe('launch_credits_limit');
    expect((await grant(1_000_000)).statusCode).toBe(201);
    expect((await grant(9_000_000)).statusCode).toBe(409);

    // Older data beyond the limit (25 open stores with 100M each today): plans sum past 2^31.
    const ids: string[] = [];
    for (let s = 0; s < 25; s += 1) {
      const phone = `137300001${String(s).padStart(2, '0')}`;
      await t.signIn(phone, 'merchant');
      const { storeId: id } = await createStore(t.db, {
        ownerAccountId: await accountIdOf(t.db, phone),
        name: `大额店 ${s}`,
      });
      ids.push(id);
    }
    await sql`
      insert into traffic_launch_grants (id, store_id, impressions, starts_on, ends_on, granted_by, note, created_at)
      select gen_random_uuid(), s, 100000000, ${'2026-03-01'}::date, ${'2026-03-01'}::date, 'operator', '', now()
      from unnest(${ids}::uuid[]) as s`.execute(t.db);
    const planned = await t.services.traffic.planDay();
    expect(planned.contracts).toBeGreaterThanOrEqual(26);
    const plans = await api('GET', '/ops/traffic/plans?days=1', operator);
    expect(plans.statusCode, plans.body).toBe(200);
    const launch = (plans.json().rows as Array<{ source: string; targetImpressions: number }>).find(
      (r) => r.source === 'launch',
    );
    expect(launch?.targetImpressions).toBeGreaterThan(2 ** 31);
    const stores = await api('GET', '/ops/traffic/stores', operator);
    expect(stores.statusCode, stores.body).toBe(200);
    const mine = await api('GET', '/merchant/traffic/plans', merchant);
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().launch.granted).toBeGreaterThanOrEqual(91_000_000);
    expect(mine.json().launch.granted).toBeLessThanOrEqual(100_000_000);
  });
});

describe('traffic: cold-start days prorated, no boost after newUntil', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  const coldStart = async (storeId: string) =>
    (
      await sql<{ target_impressions: number; ends_at: Date | null }>`
        select target_impressions, ends_at from traffic_contracts
        where store_id = ${storeId} and source = 'cold_start' and day = ${'2026-03-02'}::date`.execute(t.db)
    ).rows[0];

  it('a store opening at 18:00 Shanghai gets a quarter of the minimum that day, kept on re-planning', async () => {
    t.clock.set('2026-03-02T10:00:00Z'); // 18:00 in Shanghai
    const { storeId } = await createStore(t.db, { name: '晚开店' });
    await createProduct(t.db, storeId, { title: '晚开商品', skus: [{ priceFen: 990, stock: 5 }] });
    await t.services.traffic.planDay();
    expect((await coldStart(storeId))?.target_impressions).toBe(50);
    t.clock.advance(3_600_000);
    await t.services.traffic.planDay();
    expect((await coldStart(storeId))?.target_impressions).toBe(50);
    // The next day: the full minimum.
    t.clock.set('2026-03-03T02:00:00Z');
    await t.services.traffic.planDay();
    const next = await sql<{ target_impressions: number }>`
      select target_impressions from traffic_contracts
      where store_id = ${storeId} and source = 'cold_start' and day = ${'2026-03-03'}::date`.execute(t.db);
    expect(next.rows[0]?.target_impressions).toBe(200);
  });

  it('a store that leaves cold start at 06:00 has a contract ending then, with a prorated minimum', async () => {
    // Opened 30 days before 06:00 Shanghai on 2 March (new-store days: 30 by default).
    t.clock.set('2026-01-30T22:00:00Z');
    const { storeId } = await createStore(t.db, { name: '毕业店' });
    await createProduct(t.db, storeId, { title: '毕业商品', skus: [{ priceFen: 990, stock: 5 }] });
    await t.services.traffic.planDay(); // its first day, long ago
    t.clock.set('2026-03-01T17:00:00Z'); // 01:00 on 2 March in Shanghai
    await t.services.traffic.planDay();
    const c = await coldStart(storeId);
    expect(c?.target_impressions).toBe(50);
    expect(new Date(c?.ends_at as Date).toISOString()).toBe('2026-03-01T22:00:00.000Z');
    await t.services.traffic.pace(); // loads this process's engine and today's contracts
    const state = t.services.traffic.contractStates().find((x) => x.storeId === storeId);
    expect(state?.endsAt?.toISOString()).toBe('2026-03-01T22:00:00.000Z');
  });

  it('anonymous feed pages: 120 a minute per client address (cookieless loops too), then 429 rate_limited', async () => {
    const page = (remoteAddress: string, cookie?: string) =>
      t.app.inject({
        method: 'GET',
        url: '/api/v1/feed?limit=5',
        remoteAddress,
        headers: cookie ? { cookie } : {},
      });
    const first = await page('10.77.0.1');
    expect(first.statusCode, first.body).toBe(200);
    for (let i = 1; i < 120; i += 1) expect((await page('10.77.0.1')).statusCode).toBe(200);
    const refused = await page('10.77.0.1');
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('rate_limited');
    // Another address is not affected; a signed-in buyer is not limited this way.
    expect((await page('10.77.0.2')).statusCode).toBe(200);
    const buyer = await t.signIn('13620000099');
    expect((await page('10.77.0.1', buyer)).statusCode).toBe(200);
    // A minute later the address has room again.
    t.clock.advance(61_000);
    expect((await page('10.77.0.1')).statusCode).toBe(200);
  });

  it('a suspended store leaves the feed and comes back once reopened (the periodic pass reconciles)', async () => {
    await t.services.identity.provision('13900000092', 'operator', 'ops');
    const operator = await t.signIn('13900000092', 'operator');
    const api = apiOf(t);
    const buyer = await t.signIn('13620000098');
    const { storeId } = await createStore(t.db, { name: '重开店' });
    const { productId } = await createProduct(t.db, storeId, {
      title: '重开商品',
      skus: [{ priceFen: 1990, stock: 5 }],
    });
    const traffic = t.services.traffic;
    await traffic.start();
    // The clock went back in this file's earlier tests: this product's updated_at is before the follower's
    // cursor (as a change committed late would be); the periodic pass adds it all the same.
    await traffic.refreshItems(true);
    const shown = async () => {
      const res = await api('GET', '/feed?limit=50', buyer);
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().items as Array<{ productId: string | null }>).some((i) => i.productId === productId);
    };
    expect(await shown()).toBe(true);
    const setStatus = async (status: 'open' | 'suspended') => {
      const res = await api('PATCH', `/ops/merchants/${storeId}`, operator, { status });
      expect(res.statusCode, res.body).toBe(200);
    };
    await setStatus('suspended');
    await traffic.refreshItems(true);
    expect(await shown()).toBe(false);
    await setStatus('open');
    await traffic.refreshItems();
    await traffic.refreshItems(true);
    expect(await shown()).toBe(true);
  });
});
