import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricPanel } from '../../src/modules/analytics/api-schema.ts';
import type { OrderFact } from '../../src/modules/analytics/index.ts';
import { deliverEvents } from '../support/events.ts';
import { apiOf, apparelMerchant, buyOrder, createApparel, TEE_SIZES } from '../support/sizing-fixtures.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Every dashboard figure against a small data set computed by hand: live orders, refunds and
 * cancellations through their events (the subscribers), and a year of history through the bulk path,
 * so March 2026 has a month before (February) and a year before (March 2025) to compare with.
 */
const panelOf = (panels: MetricPanel[], id: string) => {
  const panel = panels.find((p) => p.id === id);
  if (!panel) throw new Error(`no panel ${id}`);
  return panel;
};

describe('metrics: the dashboards from the rollups', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  let merchant: string;
  let storeId: string;
  let operator: string;
  let tee: { productId: string; skus: Map<string, string> };
  const history = { storeId: randomUUID(), buyers: [randomUUID(), randomUUID()], product: randomUUID() };

  const fact = (
    paidAt: string,
    buyerId: string,
    amountFen: number,
    channel: string,
    extra: Partial<OrderFact> = {},
  ) => ({
    orderId: randomUUID(),
    storeId: history.storeId,
    buyerId,
    placedAt: paidAt,
    paidAt,
    lines: [{ productId: history.product, categoryId: 'food-rice', channel, amountFen, quantity: 1 }],
    ...extra,
  });

  beforeAll(async () => {
    t = await createTestApp({ sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } });
    api = apiOf(t);
    ({ cookie: merchant, storeId } = await apparelMerchant(t, '13720000001', '指标服饰'));
    await t.services.identity.provision('13920000000', 'operator', 'ops');
    operator = await t.signIn('13920000000', 'operator');
    tee = await createApparel(t, merchant, { sizes: TEE_SIZES });
    // History: March 2025 one order of ¥100; February 2026 two orders (¥100, ¥300, one buyer twice).
    await t.services.analytics.ingestOrders([
      fact('2025-03-05T02:00:00Z', history.buyers[0] as string, 10_000, 'feed'),
      fact('2026-02-03T02:00:00Z', history.buyers[0] as string, 10_000, 'live'),
      fact('2026-02-04T02:00:00Z', history.buyers[0] as string, 30_000, 'video', {
        refunds: [{ reason: 'quality', amountFen: 30_000, at: '2026-02-06T02:00:00Z' }],
      }),
    ]);
    t.clock.set(new Date('2026-03-10T02:00:00Z'));
  });
  afterAll(async () => t?.close());

  it('counts orders, refunds and cancellations from their events, once however often delivered', async () => {
    const buyer = await t.signIn('13820000001');
    const other = await t.signIn('13820000002');
    const delivered = await buyOrder(t, buyer, merchant, [tee.skus.get('M|黑色') as string]);
    const refund = await api('POST', '/aftersale/requests', buyer, {
      orderId: delivered,
      skuId: tee.skus.get('M|黑色'),
      kind: 'refund_only',
      reason: 'size_too_small',
      amountFen: 3000,
    });
    expect(refund.json().request.status, refund.body).toBe('refunded');
    const paid = await buyOrder(t, other, merchant, [tee.skus.get('L|黑色') as string], 'paid');
    expect((await api('POST', `/orders/${paid}/cancel`, other)).statusCode).toBe(200);
    // History in March too: one order of the history store by a buyer of last year.
    await t.services.analytics.ingestOrders([
      fact('2026-03-02T02:00:00Z', history.buyers[1] as string, 50_000, 'feed'),
    ]);
    await deliverEvents(t);

    // Redelivery: every subscriber handles its events again, and nothing moves.
    const before = (await api('GET', '/ops/metrics?month=2026-03', operator)).json();
    const handlers = new Map(t.services.analytics.subscribers().map((s) => [s.topic, s]));
    await handlers
      .get('order.paid')
      ?.handle({ orderId: delivered, storeId, totalFen: 9900, lines: [] } as never, {} as never);
    await handlers
      .get('order.cancelled')
      ?.handle({ orderId: paid, storeId, wasPaid: true, lines: [] } as never, {} as never);
    const after = (await api('GET', '/ops/metrics?month=2026-03', operator)).json();
    expect(after.panels).toEqual(before.panels);
  });

  it('the platform dashboard: values, month-on-month and year-on-year against the hand count', async () => {
    const res = await api('GET', '/ops/metrics?month=2026-03&months=13', operator);
    expect(res.statusCode, res.body).toBe(200);
    const board = res.json();
    expect(board.months).toHaveLength(13);
    expect(board.months[0]).toBe('2025-03');
    const panels: MetricPanel[] = board.panels;
    // March 2026: the tee bought and refunded in part (¥99), the tee paid then cancelled (¥99), and the
    // history store's ¥500 order: 3 orders, 3 buyers, ¥698.
    expect(panelOf(panels, 'orders')).toMatchObject({ value: 3, previous: 2, lastYear: 1, mom: 0.5, yoy: 2 });
    expect(panelOf(panels, 'gmv')).toMatchObject({ value: 69_800, previous: 40_000, lastYear: 10_000 });
    expect(panelOf(panels, 'gmv').mom).toBeCloseTo(69_800 / 40_000 - 1);
    expect(panelOf(panels, 'active_buyers')).toMatchObject({
      value: 3,
      previous: 1,
      lastYear: 1,
      mom: 2,
      yoy: 2,
    });
    expect(panelOf(panels, 'merchants')).toMatchObject({ value: 2, previous: 1, mom: 1 });
    // The tee store sold for the first time in March; the history store in March 2025.
    expect(panelOf(panels, 'newly_selling_merchants')).toMatchObject({
      value: 1,
      previous: 0,
      lastYear: 1,
      mom: null,
      yoy: 0,
    });
    expect(panelOf(panels, 'merchants_over_2m')).toMatchObject({ value: 0 });
    expect(panelOf(panels, 'selling_products')).toMatchObject({ value: 2, previous: 1 });
    // Three buyers, one sub-category each (women-tshirt, women-tshirt, food-rice).
    expect(panelOf(panels, 'subcategories_per_buyer')).toMatchObject({ value: 1, unit: 'average' });
    // Refunds: the size refund and the cancellation over 3 orders; February one (quality) over 2.
    const refundRate = panelOf(panels, 'refund_rate');
    expect(refundRate.value).toBeCloseTo(2 / 3);
    expect(refundRate.previous).toBe(0.5);
    // March 2025 had an order and no refund: a rate of 0, no base for a change.
    expect(refundRate.lastYear).toBe(0);
    expect(refundRate.yoy).toBeNull();
    expect(refundRate.breakdown).toEqual(
      expect.arrayContaining([
        { key: 'size_too_small', value: 1, share: 0.5, group: 'size' },
        { key: 'order_cancelled', value: 1, share: 0.5, group: null },
      ]),
    );
    // Channels: the tees were bought direct, the history order through the feed; none through content.
    const channels = panelOf(panels, 'channel_share');
    expect(channels.value).toBe(0);
    expect(channels.previous).toBe(1);
    expect(channels.breakdown).toEqual([
      { key: 'feed', value: 50_000, share: 50_000 / 69_800, group: null },
      { key: 'direct', value: 19_800, share: 19_800 / 69_800, group: null },
    ]);
    const series = panelOf(panels, 'orders').series;
    expect(series.map((p) => p.value)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3]);
    for (const p of panels) expect(p.definition.length).toBeGreaterThan(20);
  });

  it("the store dashboard: the merchant's own figures, refunds by reason, fans from follow events", async () => {
    const buyer = randomUUID();
    const at = (day: string) => `2026-${day}T02:00:00Z`;
    await t.services.analytics.ingestFanEvents([
      { storeId, buyerId: buyer, kind: 'follow', source: 'live', at: at('02-20') },
      { storeId, buyerId: randomUUID(), kind: 'follow', source: 'video', at: at('03-03') },
      { storeId, buyerId: randomUUID(), kind: 'follow', source: 'live', at: at('03-04') },
      { storeId, buyerId: buyer, kind: 'unfollow', source: null, at: at('03-05') },
    ]);
    const res = await api('GET', '/merchant/metrics?month=2026-03&months=3', merchant);
    expect(res.statusCode, res.body).toBe(200);
    const panels: MetricPanel[] = res.json().panels;
    expect(panelOf(panels, 'orders')).toMatchObject({ value: 2, previous: 0, mom: null });
    expect(panelOf(panels, 'gmv')).toMatchObject({ value: 19_800 });
    const refunds = panelOf(panels, 'refunds');
    expect(refunds.value).toBe(2);
    expect(refunds.breakdown).toEqual(
      expect.arrayContaining([{ key: 'size_too_small', value: 1, share: 0.5, group: 'size' }]),
    );
    // Fans: 1 at February's end, 1 + 2 − 1 = 2 at March's.
    const fans = panelOf(panels, 'fans');
    expect(fans).toMatchObject({ value: 2, previous: 1, mom: 1 });
    expect(fans.series.map((p) => p.value)).toEqual([0, 1, 2]);
    expect(fans.breakdown).toEqual(
      expect.arrayContaining([
        { key: 'live', value: 1, share: 0.5, group: null },
        { key: 'video', value: 1, share: 0.5, group: null },
        { key: 'unfollows', value: 1, share: null, group: 'unfollows' },
      ]),
    );
    // No feed traffic in this test: no visitors, and no conversion ("—", not 0 %) without clicks.
    expect(panelOf(panels, 'visitors')).toMatchObject({ value: 0, previous: 0 });
    expect(panelOf(panels, 'conversion')).toMatchObject({ value: null, previous: null, mom: null });
    expect(panels.map((p) => p.id)).toEqual([
      'gmv',
      'orders',
      'visitors',
      'conversion',
      'fans',
      'traffic_sources',
      'refunds',
    ]);
  });

  it('one panel, timed; an unknown one is not found; the month defaults to the business month', async () => {
    const { panel, ms } = await t.services.analytics.panel('platform', 'orders', null, { months: 13 });
    expect(panel.value).toBe(3);
    expect(ms).toBeGreaterThanOrEqual(0);
    await expect(t.services.analytics.panel('store', 'nope', storeId, { months: 13 })).rejects.toMatchObject({
      status: 404,
    });
    expect((await api('GET', '/ops/metrics?month=2026-13', operator)).statusCode).toBe(400);
    expect((await api('GET', '/ops/metrics', merchant)).statusCode).toBe(403);
  });
});
