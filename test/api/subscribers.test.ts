import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOPICS } from '../../src/platform/events.ts';
import { deliverEvents } from '../support/events.ts';
import { testAddress } from '../support/fixtures.ts';
import { placeAndPay } from '../support/payments.ts';
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
 * Every cross-module reaction (sales counter, store order counts, ops overview, size learning, replays) is a subscriber that survives a failure (retried with backoff until
 * it works) and a redelivery (delivery is at least once: the same event handled again counts once).
 * A failure is made by taking the subscriber's table away (renamed) until the retry; a redelivery
 * is the worker dying after the effect and before marking the delivery done.
 */
describe('cross-module subscribers survive a failure and a redelivery', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  let merchant: string;
  let buyer: string;
  let operator: string;
  let storeId: string;
  let tee: { productId: string; skus: Map<string, string> };

  /** The subscribers that react to buying an order and asking for a size after-sale. */
  const SUBSCRIBERS = [
    'analytics.count-paid-orders',
    'catalog.count-sales',
    'merchants.count-orders',
    'ops.count-orders',
    'ops.count-paid-orders',
    'sizing.learn-from-aftersale',
  ];
  /** The tables they write. */
  const TABLES = [
    'product_sales_orders',
    'store_orders',
    'ops_order_figures',
    'size_refund_lines',
    'analytics_orders',
  ];

  beforeAll(async () => {
    t = await createTestApp({ sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } });
    api = apiOf(t);
    ({ cookie: merchant, storeId } = await apparelMerchant(t, '13700000061', '事件服饰'));
    await t.services.identity.provision('13900000061', 'operator', 'ops');
    operator = await t.signIn('13900000061', 'operator');
    buyer = await t.signIn('13600000061');
    tee = await createApparel(t, merchant, { sizeChart: TEE_CHART, sizes: TEE_SIZES, colors: ['黑色'] });
  });
  afterAll(async () => t?.close());

  const run = (q: ReturnType<typeof sql<{ n: number }>>) => q.execute(t.db).then((r) => r.rows[0]?.n ?? 0);
  const sales = () => run(sql<{ n: number }>`select sales as n from products where id = ${tee.productId}`);
  const storeOrders = async () => {
    const res = await api('GET', '/ops/merchants?page=1&pageSize=50', operator);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items.find((m: { id: string }) => m.id === storeId).orderCount as number;
  };
  const learned = (orderId: string) =>
    run(sql<{ n: number }>`
      select ((select count(*) from size_fit_outcomes where order_id = ${orderId})
            + (select count(*) from size_refund_lines where order_id = ${orderId}))::int as n`);
  const overview = async () => {
    const res = await api('GET', '/ops/overview', operator);
    expect(res.statusCode, res.body).toBe(200);
    const { orders, paidOrders, gmvFen } = res.json();
    return { orders, paidOrders, gmvFen };
  };
  /** Paid orders in the platform's monthly rollup (analytics). */
  const paidInRollup = () =>
    run(sql<{ n: number }>`select coalesce(sum(paid_orders), 0)::int as n from analytics_platform_month`);
  const corrections = () =>
    run(
      sql<{
        n: number;
      }>`select coalesce(sum(n), 0)::int as n from size_corrections where level = 'product' and key = ${tee.productId}`,
    );
  const breakTables = async () => {
    for (const table of TABLES)
      await sql`alter table ${sql.table(table)} rename to ${sql.table(`${table}_away`)}`.execute(t.db);
  };
  const mendTables = async () => {
    for (const table of TABLES)
      await sql`alter table ${sql.table(`${table}_away`)} rename to ${sql.table(table)}`.execute(t.db);
  };
  /** As if the worker died after each of these deliveries had its effect, before marking it done. */
  const redeliver = async (subscribers: string[]) => {
    const r = await sql`update outbox set done_at = null, run_at = ${t.clock.now()}
      where subscriber = any(${subscribers}::text[]) and done_at is not null`.execute(t.db);
    expect(Number(r.numAffectedRows)).toBeGreaterThan(0);
    await deliverEvents(t);
  };

  it('sales counter, store order count, ops overview and size learning: failed, retried, redelivered, each counted once', async () => {
    const sku = tee.skus.get('M|黑色') as string;
    const figures = await overview();
    const rolledUp = await paidInRollup();
    await breakTables();
    const orderId = await buyOrder(t, buyer, merchant, [sku]); // placed, paid, delivered
    const asked = await api('POST', '/aftersale/requests', buyer, {
      orderId,
      skuId: sku,
      reason: 'size_too_small',
    });
    expect(asked.statusCode, asked.body).toBe(201);
    await deliverEvents(t);

    // Each subscriber failed, is waiting for its retry with its error, and changed nothing.
    const waiting = await sql<{ subscriber: string; attempts: number; last_error: string | null }>`
      select subscriber, attempts, last_error from outbox
      where done_at is null and subscriber = any(${SUBSCRIBERS}::text[]) order by subscriber`.execute(t.db);
    expect(waiting.rows.map((r) => r.subscriber)).toEqual(SUBSCRIBERS);
    for (const row of waiting.rows) {
      expect(row.attempts).toBeGreaterThanOrEqual(1); // more when the story moved the clock on
      expect(row.last_error).toMatch(/does not exist/);
    }
    await mendTables();
    expect(await sales()).toBe(0);
    expect(await storeOrders()).toBe(0);
    expect(await learned(orderId)).toBe(0);
    expect(await overview()).toEqual(figures);
    expect(await paidInRollup()).toBe(rolledUp);
    // The payment itself went on: the order was paid and delivered without them.
    expect((await api('GET', `/orders/${orderId}`, buyer)).json().order.status).toBe('delivered');

    t.clock.advance(301_000); // past the longest backoff
    await deliverEvents(t);
    expect(await sales()).toBe(1);
    expect(await storeOrders()).toBe(1);
    expect(await learned(orderId)).toBe(2); // one fit outcome, one size refund line
    const counted = {
      orders: figures.orders + 1,
      paidOrders: figures.paidOrders + 1,
      gmvFen: figures.gmvFen + 9900,
    };
    expect(await overview()).toEqual(counted);
    expect(await paidInRollup()).toBe(rolledUp + 1);
    const learnedOnce = await corrections();
    expect(learnedOnce).toBeGreaterThan(0);

    await redeliver(SUBSCRIBERS);
    expect(await sales()).toBe(1);
    expect(await storeOrders()).toBe(1);
    expect(await learned(orderId)).toBe(2);
    expect(await corrections()).toBe(learnedOnce);
    expect(await overview()).toEqual(counted);
    expect(await paidInRollup()).toBe(rolledUp + 1);
  });

  it('size learning from a review: failed, retried, redelivered, learned once', async () => {
    const sku = tee.skus.get('XL|黑色') as string;
    const orderId = await buyOrder(t, buyer, merchant, [sku]); // placed, paid, delivered; its events delivered
    const reviewed = await api('POST', `/orders/${orderId}/reviews`, buyer, {
      skuId: sku,
      rating: 4,
      fit: 'large',
    });
    expect(reviewed.statusCode, reviewed.body).toBe(201);
    await sql`alter table size_fit_outcomes rename to size_fit_outcomes_away`.execute(t.db);
    await deliverEvents(t);
    const waiting = await sql<{ attempts: number; last_error: string | null }>`
      select attempts, last_error from outbox
      where done_at is null and subscriber = 'sizing.learn-from-review'`.execute(t.db);
    expect(waiting.rows).toHaveLength(1);
    expect(waiting.rows[0]?.last_error).toMatch(/does not exist/);
    await sql`alter table size_fit_outcomes_away rename to size_fit_outcomes`.execute(t.db);
    expect(await learned(orderId)).toBe(0);

    t.clock.advance(301_000); // past the longest backoff
    await deliverEvents(t);
    expect(await learned(orderId)).toBe(1);
    const outcome = await sql<{ fit: string; source: string }>`
      select fit, source from size_fit_outcomes where order_id = ${orderId}`.execute(t.db);
    expect(outcome.rows).toEqual([{ fit: 'large', source: 'feedback' }]);
    const learnedOnce = await corrections();
    await redeliver(['sizing.learn-from-review']);
    expect(await learned(orderId)).toBe(1);
    expect(await corrections()).toBe(learnedOnce);
  });

  it('traffic credits (note, credit, uncredit on cancel): failed, retried, redelivered, each counted once', async () => {
    const traffic = ['traffic.credit-order', 'traffic.note-order']; // by name
    const credited = () =>
      run(sql<{ n: number }>`
        select coalesce(sum(orders), 0)::int as n from traffic_daily where store_id = ${storeId}`);
    const shopper = await t.signIn('13600000062');
    const feed = await api('GET', '/feed?limit=10', shopper);
    expect(feed.statusCode, feed.body).toBe(200);
    const card = (feed.json().items as Array<{ impressionId: string; productId: string | null }>).find(
      (i) => i.productId === tee.productId,
    );
    if (!card) throw new Error('the feed did not show the tee');
    await t.services.traffic.flush();
    const sku = tee.skus.get('M|黑色') as string;
    const attribution = { channel: 'feed', impressionId: card.impressionId, contentId: null };
    const put = await api('PUT', `/cart/items/${sku}`, shopper, { quantity: 1, attribution });
    expect(put.statusCode, put.body).toBe(200);

    await sql`alter table traffic_orders rename to traffic_orders_away`.execute(t.db);
    const co = await placeAndPay(t, shopper, { address: testAddress }, 'sub-tr-1');
    await deliverEvents(t);
    const waiting = await sql<{ subscriber: string; last_error: string | null }>`
      select subscriber, last_error from outbox
      where done_at is null and subscriber = any(${traffic}::text[]) order by subscriber`.execute(t.db);
    expect(waiting.rows.map((r) => r.subscriber)).toEqual(traffic);
    for (const row of waiting.rows) expect(row.last_error).toMatch(/does not exist/);
    await sql`alter table traffic_orders_away rename to traffic_orders`.execute(t.db);
    expect(await credited()).toBe(0);

    // Past the longest backoff, twice: the credit may run before the note and wait for it.
    for (let i = 0; i < 2; i++) {
      t.clock.advance(301_000);
      await deliverEvents(t);
    }
    expect(await credited()).toBe(1);
    await redeliver(traffic);
    expect(await credited()).toBe(1);

    // Cancelled after payment: the credit is taken back once, through a failure and a redelivery.
    const orderId = co.orders[0].id as string;
    await sql`alter table traffic_orders rename to traffic_orders_away`.execute(t.db);
    const cancelled = await api('POST', `/orders/${orderId}/cancel`, shopper);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    await deliverEvents(t);
    const failed = await sql<{ last_error: string | null }>`
      select last_error from outbox where done_at is null and subscriber = 'traffic.uncredit-cancelled'`.execute(
      t.db,
    );
    expect(failed.rows).toHaveLength(1);
    expect(failed.rows[0]?.last_error).toMatch(/does not exist/);
    await sql`alter table traffic_orders_away rename to traffic_orders`.execute(t.db);
    expect(await credited()).toBe(1);
    t.clock.advance(301_000);
    await deliverEvents(t);
    expect(await credited()).toBe(0);
    await redeliver(['traffic.uncredit-cancelled']);
    expect(await credited()).toBe(0);
    // The credit again, after the cancel: still not counted.
    await redeliver(['traffic.credit-order']);
    expect(await credited()).toBe(0);
  });

  it('replays on live.ended (hits, suggested clips): failed, retried, redelivered, kept once', async () => {
    const scheduled = await api('POST', '/merchant/live/sessions', merchant, {
      title: '事件直播',
      scheduledAt: new Date(t.clock.now().getTime() + 3_600_000).toISOString(),
      productIds: [tee.productId],
    });
    expect(scheduled.statusCode, scheduled.body).toBe(201);
    const sessionId = scheduled.json().session.id as string;
    const started = await api('POST', `/merchant/live/sessions/${sessionId}/start`, merchant);
    expect(started.statusCode, started.body).toBe(200);
    await deliverEvents(t);
    const kept = () =>
      run(sql<{ n: number }>`select count(*)::int as n from replay_reports where session_id = ${sessionId}`);

    await sql`alter table replay_reports rename to replay_reports_away`.execute(t.db);
    const stopped = await api('POST', `/merchant/live/sessions/${sessionId}/stop`, merchant);
    expect(stopped.statusCode, stopped.body).toBe(200);
    await deliverEvents(t);
    const waiting = await sql<{ last_error: string | null }>`
      select last_error from outbox where done_at is null and subscriber = 'replays.session-ended'`.execute(
      t.db,
    );
    expect(waiting.rows).toHaveLength(1);
    expect(waiting.rows[0]?.last_error).toMatch(/does not exist/);
    await sql`alter table replay_reports_away rename to replay_reports`.execute(t.db);
    expect(await kept()).toBe(0);

    t.clock.advance(301_000); // past the longest backoff
    await deliverEvents(t);
    expect(await kept()).toBe(1);
    await redeliver(['replays.session-ended']);
    expect(await kept()).toBe(1);
  });

  it('docs/ARCHITECTURE.md lists every topic and every subscriber, and every topic has one', () => {
    const docs = fs.readFileSync(path.resolve(import.meta.dirname, '../../docs/ARCHITECTURE.md'), 'utf8');
    const table = docs.slice(docs.indexOf('| topic | payload |'));
    for (const topic of Object.keys(TOPICS)) {
      expect(table, topic).toContain(`| \`${topic}\` |`);
      expect(t.events.subscribersOf(topic as keyof typeof TOPICS), topic).not.toEqual([]);
    }
    for (const { name } of t.events.list()) expect(table, name).toContain(`\`${name}\``);
  });

  it('a paid order cancelled stops counting as sold, once, even redelivered out of order', async () => {
    const sku = tee.skus.get('L|黑色') as string;
    const before = await sales();
    const figures = await overview();
    const orderId = await buyOrder(t, buyer, merchant, [sku], 'paid');
    expect(await sales()).toBe(before + 1);
    expect((await overview()).paidOrders).toBe(figures.paidOrders + 1);
    const cancelled = await api('POST', `/orders/${orderId}/cancel`, buyer);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    await deliverEvents(t);
    const afterCancel = { ...figures, orders: figures.orders + 1 }; // placed, but no longer sold
    expect(await sales()).toBe(before);
    expect(await overview()).toEqual(afterCancel);
    // Both events again, the sale after the cancel: the order still does not count.
    await redeliver(['catalog.uncount-sales', 'ops.uncount-paid-orders']);
    await redeliver(['catalog.count-sales', 'ops.count-paid-orders']);
    expect(await sales()).toBe(before);
    expect(await overview()).toEqual(afterCancel);
  });
});
