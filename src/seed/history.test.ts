import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/test-app.ts';
import { businessDate } from '../platform/business-day.ts';
import { dayShape, historyDays, historyLength, parseHistoryPeriod } from './history.ts';
import { seedHistory } from './history-command.ts';

const now = new Date('2026-11-30T06:00:00Z');
const opts = { months: 12, seed: 7, now, stores: [], buyers: [], ordersPerDay: 40 };

describe('history generator', () => {
  const days = [...historyDays(opts)];
  const orders = days.flatMap((d) => d.orders);

  it('covers the period day by day and is the same for the same seed', () => {
    expect(days).toHaveLength(historyLength(12, now));
    expect(days[0]?.day).toBe('2025-11-30');
    expect(days.at(-1)?.day).toBe('2026-11-29');
    const again = [...historyDays(opts)];
    expect(again.flatMap((d) => d.orders.map((o) => o.orderId))).toEqual(orders.map((o) => o.orderId));
    const other = [...historyDays({ ...opts, seed: 8 })];
    expect(other[0]?.orders[0]?.orderId).not.toBe(days[0]?.orders[0]?.orderId);
  });

  it('grows, peaks on Double 11 and is busier at weekends', () => {
    const count = (day: string) => days.find((d) => d.day === day)?.orders.length ?? 0;
    const month = (m: string) =>
      days.filter((d) => d.day.startsWith(m)).reduce((s, d) => s + d.orders.length, 0);
    expect(month('2026-09')).toBeGreaterThan(month('2026-01'));
    expect(count('2026-11-11')).toBeGreaterThan(2 * count('2026-11-04'));
    expect(dayShape(new Date('2026-03-07T00:00:00Z'))).toBeGreaterThan(
      dayShape(new Date('2026-03-04T00:00:00Z')),
    );
  });

  it('opens stores over the year, brings buyers back, refunds with reasons, follows by source', () => {
    const storesIn = (m: string) =>
      new Set(days.filter((d) => d.day.startsWith(m)).flatMap((d) => d.orders.map((o) => o.storeId))).size;
    expect(storesIn('2026-10')).toBeGreaterThan(storesIn('2025-12'));
    const buyers = new Set(orders.map((o) => o.buyerId));
    expect(buyers.size).toBeLessThan(orders.length * 0.6);
    const refunds = orders.flatMap((o) => o.refunds ?? []);
    expect(refunds.length).toBeGreaterThan(orders.length * 0.03);
    expect(new Set(refunds.map((r) => r.reason))).toContain('size_too_small');
    for (const o of orders.filter((o) => o.refunds)) expect(o.paidAt).not.toBeNull();
    const fans = days.flatMap((d) => d.fans);
    expect(new Set(fans.filter((f) => f.kind === 'follow').map((f) => f.source))).toEqual(
      new Set(['live', 'video', 'store', 'coupon', 'product', 'other']),
    );
    expect(fans.some((f) => f.kind === 'unfollow')).toBe(true);
    expect(new Set(orders.flatMap((o) => o.lines.map((l) => l.channel)))).toEqual(
      new Set(['live', 'video', 'replay', 'other']),
    );
  });

  it('reads periods', () => {
    expect(parseHistoryPeriod('12m')).toBe(12);
    expect(parseHistoryPeriod('6m')).toBe(6);
    expect(parseHistoryPeriod('90d')).toBe(3);
    expect(parseHistoryPeriod('0m')).toBeNull();
    expect(parseHistoryPeriod('12')).toBeNull();
    expect(parseHistoryPeriod(undefined)).toBeNull();
  });
});

describe('history seed through analytics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('loads the facts once: a second run adds nothing', async () => {
    const run = { months: 2, seed: 3, now: t.clock.now(), ordersPerDay: 10, progress: false };
    const first = await seedHistory(t.db, t.services.analytics, run);
    expect(first.orders).toBeGreaterThan(200);
    expect(first.fanEvents).toBeGreaterThan(0);
    const facts = await sql<{ n: number }>`select count(*)::int as n from analytics_orders`.execute(t.db);
    expect(facts.rows[0]?.n).toBe(first.orders);
    const second = await seedHistory(t.db, t.services.analytics, run);
    expect(second).toEqual({ days: first.days, orders: 0, fanEvents: 0 });
    const board = await t.services.analytics.platformDashboard({ months: 3 });
    const gmv = board.panels.find((p) => p.id === 'gmv');
    expect(gmv?.series.filter((p) => (p.value ?? 0) > 0).length).toBeGreaterThanOrEqual(2);
  });
});

describe('history seed after live orders', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('ends with the rollups a rebuild gives: a store selling live first sold first in its history', async () => {
    const run = { months: 2, seed: 5, now: t.clock.now(), ordersPerDay: 6, progress: false };
    const history = [...historyDays({ ...run, stores: [], buyers: [] })].flatMap((d) => d.orders);
    const storeId = history[0]?.storeId as string;
    const line = { productId: randomUUID(), categoryId: 'c', channel: 'other', amountFen: 990, quantity: 1 };
    // today's live order is ingested before the (older) history is loaded
    await t.services.analytics.ingestOrders([
      {
        orderId: randomUUID(),
        storeId,
        buyerId: randomUUID(),
        placedAt: run.now,
        paidAt: run.now,
        lines: [line],
      },
    ]);
    await seedHistory(t.db, t.services.analytics, run);
    const rollups = async () => ({
      firstSale: (
        await sql<{ store_id: string; month: string }>`
          select store_id, to_char(month, 'YYYY-MM') as month from analytics_store_first_sale order by store_id`.execute(
          t.db,
        )
      ).rows,
      platform: (await sql`select * from analytics_platform_month order by month`.execute(t.db)).rows,
    });
    const loaded = await rollups();
    const firstMonth = history
      .filter((o) => o.storeId === storeId && o.paidAt)
      .map((o) => businessDate(new Date(o.paidAt as Date | string)).slice(0, 7))
      .sort()[0];
    expect(loaded.firstSale.find((r) => r.store_id === storeId)?.month).toBe(firstMonth);
    await t.services.analytics.rebuildRollups();
    expect(await rollups()).toEqual(loaded);
  });
});
