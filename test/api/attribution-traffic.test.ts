import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiOf } from '../support/api.ts';
import { deliverEvents } from '../support/events.ts';
import { accountIdOf, createProduct, createStore, testAddress } from '../support/fixtures.ts';
import { placeAndPay } from '../support/payments.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Attribution end to end (issue 13): a feed impression is clicked, its product put in the cart with
 * the impression id, checked out and paid; the orders' events carry the line's attribution and the
 * traffic module credits exactly that impression's store and source with what the line paid, once,
 * even when the events are delivered twice. A line that came from elsewhere is credited to nothing.
 */
describe('attribution → traffic: every order credited to the impression that produced it', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  const merchantOf = new Map<string, string>(); // store id → merchant cookie
  const productsOf = new Map<string, string[]>(); // store id → product ids

  beforeAll(async () => {
    t = await createTestApp({ sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } });
    api = apiOf(t);
    for (let s = 0; s < 3; s += 1) {
      const phone = `1372000000${s}`;
      const cookie = await t.signIn(phone, 'merchant');
      const { storeId } = await createStore(t.db, {
        ownerAccountId: await accountIdOf(t.db, phone),
        name: `归因店 ${s}`,
      });
      merchantOf.set(storeId, cookie);
      const ids: string[] = [];
      for (let p = 0; p < 3; p += 1) {
        const { productId } = await createProduct(t.db, storeId, {
          title: `归因商品 ${s}-${p}`,
          skus: [{ priceFen: 1000 + 700 * p + 100 * s, stock: 20 }],
        });
        ids.push(productId);
      }
      productsOf.set(storeId, ids);
    }
  });
  afterAll(async () => t?.close());

  const skuOf = async (productId: string) =>
    (await api('GET', `/products/${productId}`)).json().product.skus[0].id as string;
  const trafficOf = async (storeId: string) => {
    const res = await api('GET', '/merchant/traffic?days=7', merchantOf.get(storeId));
    expect(res.statusCode, res.body).toBe(200);
    return res.json().rows as Array<{ source: string; orders: number; gmvFen: number; clicks: number }>;
  };
  const credited = async (storeId: string) =>
    (await trafficOf(storeId)).reduce(
      (sum, r) => ({ orders: sum.orders + r.orders, gmvFen: sum.gmvFen + r.gmvFen }),
      {
        orders: 0,
        gmvFen: 0,
      },
    );

  it('feed impression → click → cart with its id → checkout → pay → events → credited once to its store and source', async () => {
    const buyer = await t.signIn('13620000001');
    const feed = await api('GET', '/feed?limit=9', buyer);
    expect(feed.statusCode, feed.body).toBe(200);
    const item = (
      feed.json().items as Array<{
        impressionId: string;
        kind: string;
        productId: string | null;
        storeId: string;
        link: string;
      }>
    ).find((i) => i.kind === 'product' && i.productId);
    if (!item?.productId) throw new Error('the feed showed no product');
    expect(item.link).toBe(`/product/${item.productId}?from=feed&imp=${item.impressionId}`);
    await t.services.traffic.flush();
    const shown = await sql<{ source: string; store_id: string }>`
      select source, store_id from traffic_impressions where id = ${item.impressionId}`.execute(t.db);
    const source = shown.rows[0]?.source as string;
    expect(shown.rows[0]?.store_id).toBe(item.storeId);

    // The buyer opens the card, then puts the product in the cart with the impression (the product
    // page sends what its address says: from=feed&imp=…).
    const click = await api('POST', '/feed/events', buyer, {
      impressionId: item.impressionId,
      kind: 'click',
    });
    expect(click.statusCode, click.body).toBe(200);
    const fromFeed = { channel: 'feed', impressionId: item.impressionId, contentId: null };
    const feedSku = await skuOf(item.productId);
    const put1 = await api('PUT', `/cart/items/${feedSku}`, buyer, { quantity: 2, attribution: fromFeed });
    expect(put1.statusCode, put1.body).toBe(200);
    // Another store's product, found by search: credited to no impression.
    const otherStore = [...productsOf.keys()].find((s) => s !== item.storeId) as string;
    const searchSku = await skuOf((productsOf.get(otherStore) as string[])[0] as string);
    const put2 = await api('PUT', `/cart/items/${searchSku}`, buyer, {
      quantity: 1,
      attribution: { channel: 'search', impressionId: null, contentId: null },
    });
    expect(put2.statusCode, put2.body).toBe(200);

    const before = { feedStore: await credited(item.storeId), otherStore: await credited(otherStore) };
    const co = await placeAndPay(t, buyer, { address: testAddress }, 'attr-tr-1');
    const feedLine = co.orders
      .flatMap((o: { lines: Array<{ skuId: string; paidFen: number; attribution: unknown }> }) => o.lines)
      .find((l: { skuId: string }) => l.skuId === feedSku);
    expect(feedLine.attribution).toEqual(fromFeed);
    expect((await api('GET', `/checkouts/${co.id}`, buyer)).json().checkout.paymentStatus).toBe('paid');

    const after = await credited(item.storeId);
    expect(after).toEqual({
      orders: before.feedStore.orders + 1,
      gmvFen: before.feedStore.gmvFen + feedLine.paidFen,
    });
    const row = (await trafficOf(item.storeId)).find((r) => r.source === source);
    expect(row?.orders).toBeGreaterThanOrEqual(1);
    expect(row?.clicks).toBeGreaterThanOrEqual(1);
    expect(await credited(otherStore)).toEqual(before.otherStore);

    // Delivered twice: the traffic subscribers' jobs of this checkout's events run again.
    const orderIds = co.orders.map((o: { id: string }) => o.id);
    const again = await sql`
      insert into outbox (topic, subscriber, payload, run_at)
      select topic, subscriber, payload, run_at from outbox
      where subscriber like 'traffic.%' and topic in ('order.placed', 'order.paid')
        and payload->>'orderId' = any(${orderIds}::text[])`.execute(t.db);
    expect(Number(again.numAffectedRows)).toBeGreaterThanOrEqual(2 * orderIds.length);
    await deliverEvents(t);
    expect(await credited(item.storeId)).toEqual(after);
    expect(await credited(otherStore)).toEqual(before.otherStore);
  });
});
