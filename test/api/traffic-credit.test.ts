import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

/**
 * Order credit from the orders' events: a line bought from a feed impression shown to that buyer is
 * credited to the impression's store, day and source once (the subscribers survive a failure and a
 * redelivery), and taken back once when the paid order is cancelled.
 */
describe('traffic: orders credited to the impressions they came from', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  let merchant: string;
  let buyer: string;
  let otherBuyer: string;
  let tee: { productId: string; skus: Map<string, string> };
  const SUBSCRIBERS = ['traffic.credit-order', 'traffic.note-order'];

  beforeAll(async () => {
    t = await createTestApp({ sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } });
    api = apiOf(t);
    ({ cookie: merchant } = await apparelMerchant(t, '13700000301', '流量服饰'));
    buyer = await t.signIn('13600000301');
    otherBuyer = await t.signIn('13600000302');
    tee = await createApparel(t, merchant, { sizeChart: TEE_CHART, sizes: TEE_SIZES, colors: ['黑色'] });
  });
  afterAll(async () => t?.close());

  const impressionFor = async (cookie: string) => {
    const res = await api('GET', '/feed?limit=5', cookie);
    const card = res.json().items.find((i: { id: string }) => i.id === tee.productId);
    expect(card, res.body).toBeDefined();
    return card.impressionId as string;
  };
  const toCart = async (cookie: string, sku: string, impressionId: string) => {
    const put = await api('PUT', `/cart/items/${sku}`, cookie, {
      quantity: 1,
      attribution: { channel: 'feed', impressionId, contentId: null },
    });
    expect(put.statusCode, put.body).toBe(200);
  };
  const today = async () => {
    const res = await api('GET', '/merchant/traffic?days=1', merchant);
    expect(res.statusCode, res.body).toBe(200);
    const rows = res.json().rows as Array<{ orders: number; gmvFen: number; clicks: number; carts: number }>;
    return rows.reduce(
      (a, r) => ({
        orders: a.orders + r.orders,
        gmvFen: a.gmvFen + r.gmvFen,
        clicks: a.clicks + r.clicks,
        carts: a.carts + r.carts,
      }),
      { orders: 0, gmvFen: 0, clicks: 0, carts: 0 },
    );
  };
  const redeliver = async (subscribers: string[]) => {
    await sql`update outbox set done_at = null, run_at = ${t.clock.now()}
      where subscriber = any(${subscribers}::text[]) and done_at is not null`.execute(t.db);
    await deliverEvents(t);
  };

  it('credits a paid line once: failed, retried, redelivered', async () => {
    const imp = await impressionFor(buyer);
    expect((await api('POST', '/feed/events', buyer, { impressionId: imp, kind: 'click' })).statusCode).toBe(
      200,
    );
    expect((await api('POST', '/feed/events', buyer, { impressionId: imp, kind: 'cart' })).statusCode).toBe(
      200,
    );
    const sku = tee.skus.get('M|黑色') as string;
    await toCart(buyer, sku, imp);
    await t.services.traffic.flush();
    await sql`alter table traffic_order_credits rename to traffic_order_credits_away`.execute(t.db);
    await buyOrder(t, buyer, merchant, [sku], 'paid');
    await deliverEvents(t);
    const waiting = await sql<{ subscriber: string; last_error: string | null }>`
      select subscriber, last_error from outbox where done_at is null and subscriber = any(${SUBSCRIBERS}::text[])
      order by subscriber`.execute(t.db);
    expect(waiting.rows.map((r) => r.subscriber)).toEqual(SUBSCRIBERS);
    await sql`alter table traffic_order_credits_away rename to traffic_order_credits`.execute(t.db);
    expect(await today()).toEqual({ orders: 0, gmvFen: 0, clicks: 1, carts: 1 });

    // Past the longest backoff, twice: a payment handled before its order was noted waits for the next retry.
    for (let i = 0; i < 2; i++) {
      t.clock.advance(301_000);
      await deliverEvents(t);
    }
    expect(await today()).toEqual({ orders: 1, gmvFen: 9900, clicks: 1, carts: 1 });
    await redeliver(SUBSCRIBERS);
    expect(await today()).toEqual({ orders: 1, gmvFen: 9900, clicks: 1, carts: 1 });
    const stats = await sql<{ orders: number; gmv_fen: number }>`
      select orders, gmv_fen from traffic_item_stats where item_key = ${`product:${tee.productId}`}`.execute(
      t.db,
    );
    expect(stats.rows[0]).toEqual({ orders: 1, gmv_fen: 9900 });
  });

  it('an impression shown to someone else credits nothing; a paid order cancelled gives its GMV back, once', async () => {
    const foreign = await impressionFor(buyer);
    await t.services.traffic.flush();
    const sku = tee.skus.get('L|黑色') as string;
    await toCart(otherBuyer, sku, foreign);
    await buyOrder(t, otherBuyer, merchant, [sku], 'paid');
    await deliverEvents(t);
    expect((await today()).orders).toBe(1);

    const mine = await impressionFor(buyer);
    await t.services.traffic.flush();
    await toCart(buyer, sku, mine);
    const orderId = await buyOrder(t, buyer, merchant, [sku], 'paid');
    await deliverEvents(t);
    expect(await today()).toMatchObject({ orders: 2, gmvFen: 19_800 });
    const cancelled = await api('POST', `/orders/${orderId}/cancel`, buyer);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    await deliverEvents(t);
    expect(await today()).toMatchObject({ orders: 1, gmvFen: 9900 });
    await redeliver(['traffic.uncredit-cancelled', 'traffic.credit-order']);
    expect(await today()).toMatchObject({ orders: 1, gmvFen: 9900 });
  });
});
