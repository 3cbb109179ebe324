import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyticsService, type OrderFact } from '../../src/modules/analytics/index.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import type { Database } from '../../src/platform/db.ts';
import { freshDatabase, usePostgres } from '../support/test-db.ts';

/**
 * The rollups under real concurrency (PostgreSQL only, `npm run test:pg`): batches ingested at once,
 * each order twice (as a redelivered event would be), touching the same store-months and crossing
 * the ¥2M mark together, end with the rollups a rebuild from the facts computes, and with the
 * hand count.
 */
describe.runIf(usePostgres)('analytics rollups under concurrency (PostgreSQL)', () => {
  let database: Database;
  let analytics: AnalyticsService;

  beforeAll(async () => {
    database = await freshDatabase(40);
    analytics = new AnalyticsService({
      db: database.db,
      clock: new ManualClock('2026-03-15T00:00:00Z'),
      sources: {
        paidOrders: async () => [],
        productCategories: async () => new Map(),
        coldStartCoverage: async () => [],
        storeTraffic: async () => [],
        fanPlans: null,
      },
    });
  });
  afterAll(() => database.close());

  const rollups = async () => {
    const out: Record<string, unknown[]> = {};
    for (const table of [
      'analytics_platform_month',
      'analytics_platform_month_channels',
      'analytics_platform_month_refund_reasons',
      'analytics_store_days',
      'analytics_store_months',
      'analytics_store_month_refund_reasons',
      'analytics_store_first_sale',
    ]) {
      out[table] = (await sql.raw(`select * from ${table} t order by t::text`).execute(database.db)).rows;
    }
    return out;
  };

  it('16 concurrent batches, every order twice: counted once, the same as a rebuild', async () => {
    const stores = Array.from({ length: 4 }, () => randomUUID());
    const buyers = Array.from({ length: 50 }, () => randomUUID());
    const products = Array.from({ length: 10 }, () => randomUUID());
    // 800 orders of ¥10,000 in March 2026 over 4 stores: each store ¥2M exactly (crosses the mark).
    const facts: OrderFact[] = Array.from({ length: 800 }, (_, i) => ({
      orderId: randomUUID(),
      storeId: stores[i % 4] as string,
      buyerId: buyers[i % 50] as string,
      placedAt: '2026-03-02T02:00:00Z',
      paidAt: `2026-03-${String(2 + (i % 20)).padStart(2, '0')}T02:00:00Z`,
      lines: [
        {
          productId: products[i % 10] as string,
          categoryId: i % 2 === 0 ? 'women-tshirt' : 'food-rice',
          channel: i % 3 === 0 ? 'live' : 'feed',
          amountFen: 1_000_000,
          quantity: 1,
        },
      ],
      refunds: i % 40 === 0 ? [{ reason: 'size_too_large', amountFen: 100, at: '2026-03-25T02:00:00Z' }] : [],
    }));
    // Each order lands in two of the 16 batches; batches run at once.
    const batches = Array.from({ length: 16 }, (_, b) => facts.filter((_, i) => i % 8 === b % 8));
    const added = await Promise.all(batches.map((batch) => analytics.ingestOrders(batch)));
    expect(added.reduce((sum, a) => sum + a.orders, 0)).toBe(800);

    const march = await sql<Record<string, string>>`
      select paid_orders, gmv_fen, active_buyers, selling_products, buyer_categories, selling_merchants,
             newly_selling_merchants, merchants_over_2m, refunds, refund_fen
      from analytics_platform_month where month = '2026-03-01'`.execute(database.db);
    // Buyer k buys orders k, k+50, …: parity of k fixes the category, so one sub-category each.
    expect(Object.fromEntries(Object.entries(march.rows[0] ?? {}).map(([k, v]) => [k, Number(v)]))).toEqual({
      paid_orders: 800,
      gmv_fen: 800_000_000,
      active_buyers: 50,
      selling_products: 10,
      buyer_categories: 50,
      selling_merchants: 4,
      newly_selling_merchants: 4,
      merchants_over_2m: 4,
      refunds: 20,
      refund_fen: 2_000,
    });
    const incremental = await rollups();
    await analytics.rebuildRollups();
    expect(await rollups()).toEqual(incremental);
  });
});
