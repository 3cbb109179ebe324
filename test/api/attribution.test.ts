import fs from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attribution } from '../../src/platform/attribution.ts';
import { TOPICS } from '../../src/platform/events.ts';
import { apiOf, idempotent } from '../support/api.ts';
import { dbFingerprint } from '../support/db-fingerprint.ts';
import { accountIdOf, createProduct, createStore, testAddress } from '../support/fixtures.ts';
import { settlePayments } from '../support/payments.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Attribution is exact (issue 13): where the buyer came from is kept on the cart line, the order
 * line, the order and the checkout, and published with the orders' events, line by line with what
 * the buyer paid for it, so the traffic module can credit every order to the traffic that made it.
 */
describe('attribution: from the click through checkout, payment and the orders’ events', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  let storeA: string;
  let storeB: string;
  let phoneSeq = 0;
  const nextBuyer = () => {
    phoneSeq += 1;
    return `1361000${String(1000 + phoneSeq).padStart(4, '0')}`;
  };

  const imp1 = '0b6a3c1e-5d2f-4a8b-9c7d-111111111111';
  const imp2 = '0b6a3c1e-5d2f-4a8b-9c7d-222222222222';
  const clip = '0b6a3c1e-5d2f-4a8b-9c7d-333333333333';
  const fromFeed: Attribution = { channel: 'feed', impressionId: imp1, contentId: null };
  const fromVideo: Attribution = { channel: 'video', impressionId: imp2, contentId: clip };
  const fromSearch: Attribution = { channel: 'search', impressionId: null, contentId: null };
  const direct: Attribution = { channel: 'direct', impressionId: null, contentId: null };

  beforeAll(async () => {
    t = await createTestApp({ sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } });
    api = apiOf(t);
    await t.signIn('13710000001', 'merchant');
    await t.signIn('13710000002', 'merchant');
    ({ storeId: storeA } = await createStore(t.db, {
      ownerAccountId: await accountIdOf(t.db, '13710000001'),
    }));
    ({ storeId: storeB } = await createStore(t.db, {
      ownerAccountId: await accountIdOf(t.db, '13710000002'),
    }));
  });
  afterAll(async () => t.close());

  const put = (cookie: string, skuId: string, body: unknown) =>
    api('PUT', `/cart/items/${skuId}`, cookie, body);
  const checkout = (cookie: string, key: string, body: unknown) =>
    api('POST', '/checkouts', cookie, body, idempotent(key));
  const product = async (storeId: string, priceFen: number) =>
    (await createProduct(t.db, storeId, { skus: [{ priceFen, stock: 20 }] })).skuIds[0] as string;

  /** The stored attribution columns of a table's rows, by a key column. */
  const stored = async (
    table: 'orders' | 'order_lines' | 'checkouts' | 'cart_items',
    where: string,
    id: string,
  ) =>
    (
      await sql<{ k: string; channel: string; impression_id: string | null; content_id: string | null }>`
        select ${sql.ref(table === 'order_lines' || table === 'cart_items' ? 'sku_id' : 'id')}::text as k,
               channel, impression_id, content_id
        from ${sql.table(table)} where ${sql.ref(where)} = ${id} order by 1`.execute(t.db)
    ).rows.map((r) => ({
      k: r.k,
      attribution: { channel: r.channel, impressionId: r.impression_id, contentId: r.content_id },
    }));
  /** One payload of `topic` for the order (the outbox holds one row per subscriber, all alike). */
  const published = async (topic: string, orderId: string) => {
    const rows = await sql<{ payload: Record<string, unknown> }>`
      select payload from outbox where topic = ${topic} and payload->>'orderId' = ${orderId}`.execute(t.db);
    expect(rows.rows.length, `${topic} for ${orderId}`).toBeGreaterThan(0);
    for (const r of rows.rows) expect(r.payload).toEqual(rows.rows[0]?.payload);
    return rows.rows[0]?.payload as { lines: unknown[] } & Record<string, unknown>;
  };

  it('keeps each cart line’s attribution on its order line; two impressions stay apart; events carry them', async () => {
    const buyer = await t.signIn(nextBuyer());
    const a1 = await product(storeA, 1000);
    const a2 = await product(storeA, 3000);
    const b1 = await product(storeB, 2000);
    expect((await put(buyer, a1, { quantity: 2, attribution: fromFeed })).statusCode).toBe(200);
    expect((await put(buyer, a2, { quantity: 1, attribution: fromVideo })).statusCode).toBe(200);
    const cart = await put(buyer, b1, { quantity: 1 }); // no attribution: direct
    expect(cart.statusCode, cart.body).toBe(200);
    const cartLines = cart.json().lines as Array<{ skuId: string; attribution: Attribution }>;
    expect(Object.fromEntries(cartLines.map((l) => [l.skuId, l.attribution]))).toEqual({
      [a1]: fromFeed,
      [a2]: fromVideo,
      [b1]: direct,
    });

    const placed = await checkout(buyer, 'attr-cart-1', { address: testAddress });
    expect(placed.statusCode, placed.body).toBe(201);
    const co = placed.json().checkout;
    const orderA = co.orders.find((o: { storeId: string }) => o.storeId === storeA);
    const orderB = co.orders.find((o: { storeId: string }) => o.storeId === storeB);
    const lineOf = (o: { lines: Array<{ skuId: string; attribution: Attribution }> }, sku: string) =>
      o.lines.find((l) => l.skuId === sku)?.attribution;
    expect(lineOf(orderA, a1)).toEqual(fromFeed);
    expect(lineOf(orderA, a2)).toEqual(fromVideo);
    expect(lineOf(orderB, b1)).toEqual(direct);
    // No attribution in the request: an order's is its line that paid the most (a2 3000 > a1 2000).
    expect(orderA.attribution).toEqual(fromVideo);
    expect(orderB.attribution).toEqual(direct);

    // The tables hold the same.
    expect(await stored('order_lines', 'order_id', orderA.id)).toEqual(
      [
        { k: a1, attribution: fromFeed },
        { k: a2, attribution: fromVideo },
      ].sort((x, y) => (x.k < y.k ? -1 : 1)),
    );
    expect(await stored('orders', 'checkout_id', co.id)).toEqual(
      [
        { k: orderA.id, attribution: fromVideo },
        { k: orderB.id, attribution: direct },
      ].sort((x, y) => (x.k < y.k ? -1 : 1)),
    );
    // The checkout: its line that paid the most of all (a2, 3000).
    expect(await stored('checkouts', 'id', co.id)).toEqual([{ k: co.id, attribution: fromVideo }]);
    // The bought lines left the cart.
    expect((await api('GET', '/cart', buyer)).json().lines).toEqual([]);

    // order.placed: each line with product, quantity, what was paid and its attribution.
    const paidOf = (sku: string) =>
      [...orderA.lines, ...orderB.lines].find((l: { skuId: string }) => l.skuId === sku).paidFen as number;
    const expectedLines = (skus: string[], o: { lines: Array<{ skuId: string; productId: string }> }) =>
      skus.sort().map((sku) => ({
        skuId: sku,
        productId: o.lines.find((l) => l.skuId === sku)?.productId,
        quantity: sku === a1 ? 2 : 1,
        amountFen: paidOf(sku),
        attribution: sku === a1 ? fromFeed : sku === a2 ? fromVideo : direct,
      }));
    const placedA = await published('order.placed', orderA.id);
    expect(placedA.lines).toEqual(expectedLines([a1, a2], orderA));
    expect(placedA.totalFen).toBe(orderA.totalFen);
    expect((await published('order.placed', orderB.id)).lines).toEqual(expectedLines([b1], orderB));

    // Paid: order.paid carries the same lines.
    const pay = await api('POST', `/checkouts/${co.id}/pay`, buyer, undefined, idempotent('attr-pay-1'));
    expect(pay.statusCode, pay.body).toBe(202);
    await settlePayments(t);
    const paidA = await published('order.paid', orderA.id);
    expect(paidA.lines).toEqual(expectedLines([a1, a2], orderA));
    expect((await published('order.paid', orderB.id)).lines).toEqual(expectedLines([b1], orderB));

    // Cancelled after paying: order.cancelled's lines too.
    const cancel = await api('POST', `/orders/${orderA.id}/cancel`, buyer, {}, idempotent('attr-cancel'));
    expect(cancel.statusCode, cancel.body).toBe(200);
    const cancelled = await published('order.cancelled', orderA.id);
    expect(cancelled.wasPaid).toBe(true);
    expect(cancelled.lines).toEqual(expectedLines([a1, a2], orderA));

    // The views show it too (buyer's order, merchant's order).
    const mine = await api('GET', `/orders/${orderB.id}`, buyer);
    expect(mine.json().order.lines[0].attribution).toEqual(direct);
  });

  it('a line put in the cart again keeps the latest attribution given; a quantity change without one keeps it', async () => {
    const buyer = await t.signIn(nextBuyer());
    const sku = await product(storeA, 1500);
    const attributionNow = async () =>
      (
        (await api('GET', '/cart', buyer)).json().lines as Array<{ skuId: string; attribution: Attribution }>
      ).find((l) => l.skuId === sku)?.attribution;
    expect((await put(buyer, sku, { quantity: 1, attribution: fromFeed })).statusCode).toBe(200);
    expect(await attributionNow()).toEqual(fromFeed);
    expect((await put(buyer, sku, { quantity: 2, attribution: fromVideo })).statusCode).toBe(200);
    expect(await attributionNow()).toEqual(fromVideo);
    expect((await put(buyer, sku, { quantity: 3 })).statusCode).toBe(200);
    expect(await attributionNow()).toEqual(fromVideo);
    // Only the channel given: the ids default to null (no impression, no content).
    expect((await put(buyer, sku, { quantity: 3, attribution: { channel: 'search' } })).statusCode).toBe(200);
    expect(await attributionNow()).toEqual(fromSearch);
    const placed = await checkout(buyer, 'attr-again-1', { address: testAddress });
    expect(placed.statusCode, placed.body).toBe(201);
    expect(placed.json().checkout.orders[0].lines[0]).toMatchObject({ quantity: 3, attribution: fromSearch });
  });

  it('buy now: a line’s own attribution, else the request’s, else the cart line’s; the request’s is the orders’', async () => {
    const buyer = await t.signIn(nextBuyer());
    const [x, y, z] = [await product(storeA, 1000), await product(storeA, 1000), await product(storeA, 5000)];
    // y sits in the cart from a video; the buy-now lines come with or without their own.
    expect((await put(buyer, y, { quantity: 1, attribution: fromVideo })).statusCode).toBe(200);
    const noRequest = await checkout(buyer, 'attr-buynow-1', {
      lines: [
        { skuId: x, quantity: 1, attribution: fromFeed },
        { skuId: y, quantity: 1 },
        { skuId: z, quantity: 1 },
      ],
      address: testAddress,
    });
    expect(noRequest.statusCode, noRequest.body).toBe(201);
    const o1 = noRequest.json().checkout.orders[0];
    const byLine = (o: { lines: Array<{ skuId: string; attribution: Attribution }> }) =>
      Object.fromEntries(o.lines.map((l) => [l.skuId, l.attribution]));
    expect(byLine(o1)).toEqual({ [x]: fromFeed, [y]: fromVideo, [z]: direct });
    expect(o1.attribution).toEqual(direct); // z paid the most
    // The bought SKU left the cart.
    expect((await api('GET', '/cart', buyer)).json().lines).toHaveLength(0);

    expect((await put(buyer, y, { quantity: 1, attribution: fromVideo })).statusCode).toBe(200);
    const withRequest = await checkout(buyer, 'attr-buynow-2', {
      lines: [
        // An id in upper case is the same uuid: kept (and published) in lower case.
        { skuId: x, quantity: 1, attribution: { ...fromFeed, impressionId: imp1.toUpperCase() } },
        { skuId: y, quantity: 1 },
      ],
      attribution: fromSearch,
      address: testAddress,
    });
    expect(withRequest.statusCode, withRequest.body).toBe(201);
    const co2 = withRequest.json().checkout;
    expect(byLine(co2.orders[0])).toEqual({ [x]: fromFeed, [y]: fromSearch });
    expect(co2.orders[0].attribution).toEqual(fromSearch);
    expect(await stored('checkouts', 'id', co2.id)).toEqual([{ k: co2.id, attribution: fromSearch }]);
    const placed2 = await published('order.placed', co2.orders[0].id);
    expect(
      (placed2.lines as Array<{ skuId: string; attribution: Attribution }>).find((l) => l.skuId === x)
        ?.attribution,
    ).toEqual(fromFeed);

    // A checkout of the cart keeps each cart line's own, whatever the request says.
    expect((await put(buyer, z, { quantity: 1, attribution: fromVideo })).statusCode).toBe(200);
    const cartCheckout = await checkout(buyer, 'attr-buynow-3', {
      attribution: fromFeed,
      address: testAddress,
    });
    expect(cartCheckout.statusCode, cartCheckout.body).toBe(201);
    const co3 = cartCheckout.json().checkout;
    expect(byLine(co3.orders[0])).toEqual({ [z]: fromVideo });
    expect(co3.orders[0].attribution).toEqual(fromFeed);
  });

  it('a replay answers the first checkout, attribution included; another attribution under the key is a 409', async () => {
    const phone = nextBuyer();
    const buyer = await t.signIn(phone);
    const sku = await product(storeB, 1200);
    const body = { lines: [{ skuId: sku, quantity: 1, attribution: fromFeed }], address: testAddress };
    const first = await checkout(buyer, 'attr-replay-1', body);
    expect(first.statusCode, first.body).toBe(201);
    const again = await checkout(buyer, 'attr-replay-1', body);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(again.json().checkout.orders[0].lines[0].attribution).toEqual(fromFeed);
    const other = await checkout(buyer, 'attr-replay-1', {
      ...body,
      lines: [{ skuId: sku, quantity: 1, attribution: fromVideo }],
    });
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe('idempotency_key_reused');
    const count = await sql<{ n: number }>`
      select count(*)::int as n from checkouts where buyer_id = ${await accountIdOf(t.db, phone)}`.execute(
      t.db,
    );
    expect(count.rows[0]?.n).toBe(1);
  });

  it('bad attribution is a 400 and changes nothing', async () => {
    const buyer = await t.signIn(nextBuyer());
    const sku = await product(storeA, 800);
    expect((await put(buyer, sku, { quantity: 1, attribution: fromFeed })).statusCode).toBe(200);
    const bad: unknown[] = [
      { channel: 'tv' },
      { channel: 'feed', impressionId: 'not-a-uuid' },
      { channel: 'feed', impressionId: 42 },
      { channel: 'video', contentId: 'x'.repeat(5000) },
      { channel: 'feed', impressionId: imp1, extra: 1 },
      { impressionId: imp1 },
      null,
      'feed',
      [],
    ];
    const before = await dbFingerprint(t.db);
    for (const attribution of bad) {
      const res = await put(buyer, sku, { quantity: 2, attribution });
      expect(res.statusCode, JSON.stringify(attribution)).toBe(400);
      const lineRes = await checkout(buyer, `attr-bad-${JSON.stringify(attribution)}`.slice(0, 60), {
        lines: [{ skuId: sku, quantity: 1, attribution }],
        address: testAddress,
      });
      expect(lineRes.statusCode, JSON.stringify(attribution)).toBe(400);
      const reqRes = await checkout(buyer, `attr-bad2-${JSON.stringify(attribution)}`.slice(0, 60), {
        attribution,
        address: testAddress,
      });
      expect(reqRes.statusCode, JSON.stringify(attribution)).toBe(400);
    }
    expect(await dbFingerprint(t.db)).toEqual(before);
  });

  it('migration 251 gives events published before attribution (not yet delivered) the new lines', async () => {
    const buyer = await t.signIn(nextBuyer());
    const sku = await product(storeA, 2500);
    const placed = await checkout(buyer, 'attr-migration-1', {
      lines: [{ skuId: sku, quantity: 2, attribution: fromFeed }],
      address: testAddress,
    });
    expect(placed.statusCode, placed.body).toBe(201);
    const order = placed.json().checkout.orders[0];
    const versions = async () =>
      (
        await sql<{ v: string }>`
          select xmin::text as v from outbox where topic = 'order.placed' and payload->>'orderId' = ${order.id}
          order by id`.execute(t.db)
      ).rows.map((r) => r.v);
    const placedVersions = await versions();
    expect(placedVersions.length).toBeGreaterThan(0);
    const old = {
      orderId: order.id,
      storeId: storeA,
      totalFen: order.totalFen,
      lines: [{ skuId: sku, quantity: 2 }],
    };
    await sql`
      insert into outbox (topic, subscriber, payload, run_at)
      values ('order.paid', 'test.old-event', ${JSON.stringify(old)}::jsonb, now() + interval '100 years')`.execute(
      t.db,
    );
    expect(TOPICS['order.paid'].safeParse(old).success).toBe(false);
    const migration = fs.readFileSync(
      new URL('../../src/modules/orders/migrations/251_order_event_lines.sql', import.meta.url),
      'utf8',
    );
    await sql.raw(migration).execute(t.db);
    const row = await sql<{ payload: unknown }>`
      select payload from outbox where subscriber = 'test.old-event'`.execute(t.db);
    // What already had the new lines is left as it was (not even rewritten).
    expect(await versions()).toEqual(placedVersions);
    expect(TOPICS['order.paid'].parse(row.rows[0]?.payload).lines).toEqual([
      {
        skuId: sku,
        productId: order.lines[0].productId,
        quantity: 2,
        amountFen: order.lines[0].paidFen,
        attribution: fromFeed,
      },
    ]);
    await sql`delete from outbox where subscriber = 'test.old-event'`.execute(t.db);
  });
});
