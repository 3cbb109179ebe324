import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../test/support/test-db.ts';
import { ManualClock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db.ts';
import type { OrderFact } from './rollup.ts';
import { AnalyticsService } from './service.ts';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const STORE_A = uuid(1);
const STORE_B = uuid(2);
const [ANN, BO, CY] = [uuid(11), uuid(12), uuid(13)];
const [SHIRT, RICE] = [uuid(21), uuid(22)];

function order(
  n: number,
  storeId: string,
  buyerId: string,
  paidAt: string | null,
  lines: OrderFact['lines'],
  refunds?: OrderFact['refunds'],
): OrderFact {
  return {
    orderId: uuid(100 + n),
    storeId,
    buyerId,
    placedAt: paidAt ?? '2026-01-01T00:00:00Z',
    paidAt,
    lines,
    refunds,
  };
}
const shirt = (amountFen: number, channel = 'live') => ({
  productId: SHIRT,
  categoryId: 'women-tshirt',
  channel,
  amountFen,
  quantity: 1,
});
const rice = (amountFen: number, channel = 'feed') => ({
  productId: RICE,
  categoryId: 'food-rice',
  channel,
  amountFen,
  quantity: 2,
});

/** Every rollup as rows, to compare the incremental path with a rebuild. */
async function snapshot(db: Database['db']) {
  const out: Record<string, unknown[]> = {};
  for (const table of [
    'analytics_platform_month',
    'analytics_platform_month_channels',
    'analytics_platform_month_refund_reasons',
    'analytics_store_days',
    'analytics_store_months',
    'analytics_store_month_refund_reasons',
    'analytics_store_month_fan_sources',
    'analytics_store_first_sale',
  ]) {
    out[table] = (await sql.raw(`select * from ${table} t order by t::text`).execute(db)).rows;
  }
  return out;
}

describe('analytics rollups', () => {
  let database: Database;
  let analytics: AnalyticsService;
  beforeAll(async () => {
    database = await freshDatabase();
    // The rollups need none of the other modules' figures.
    const sources = {
      paidOrders: async () => [],
      productCategories: async () => new Map(),
      coldStartCoverage: async () => [],
      storeTraffic: async () => [],
      fanPlans: null,
    };
    analytics = new AnalyticsService({
      db: database.db,
      clock: new ManualClock('2026-03-15T00:00:00Z'),
      sources,
    });
  });
  afterAll(() => database.close());

  const facts: OrderFact[] = [
    // January (Asia/Shanghai): 2026-01-31T17:00Z is already 1 February in Beijing.
    order(1, STORE_A, ANN, '2026-01-10T02:00:00Z', [shirt(10_000), rice(5_000)]),
    order(
      2,
      STORE_A,
      BO,
      '2026-01-20T02:00:00Z',
      [shirt(20_000, 'video')],
      [{ key: 'r2', reason: 'size_too_small', amountFen: 20_000, at: '2026-02-02T02:00:00Z' }],
    ),
    order(3, STORE_B, ANN, '2026-01-31T17:00:00Z', [rice(199_999_000)]),
    order(4, STORE_B, CY, '2026-02-05T02:00:00Z', [rice(2_000)]),
    // Never paid: not counted.
    order(5, STORE_B, CY, null, [rice(9_999)]),
  ];

  it('moves each rollup once per fact, whatever is redelivered', async () => {
    expect(await analytics.ingestOrders(facts)).toEqual({ orders: 4 });
    expect(await analytics.ingestOrders([facts[0] as OrderFact, facts[3] as OrderFact])).toEqual({
      orders: 0,
    });
    const months = await sql<
      Record<string, string>
    >`select to_char(month, 'YYYY-MM') as month, paid_orders, gmv_fen,
        active_buyers, selling_products, buyer_categories, newly_selling_merchants, selling_merchants,
        merchants_over_2m, refunds, refund_fen
      from analytics_platform_month order by month`.execute(database.db);
    expect(
      months.rows.map((r) =>
        Object.fromEntries(Object.entries(r).map(([k, v]) => [k, k === 'month' ? v : Number(v)])),
      ),
    ).toEqual([
      {
        month: '2026-01',
        paid_orders: 2,
        gmv_fen: 35_000,
        active_buyers: 2,
        selling_products: 2,
        buyer_categories: 3,
        newly_selling_merchants: 1,
        selling_merchants: 1,
        merchants_over_2m: 0,
        refunds: 0,
        refund_fen: 0,
      },
      // Order 3 (¥1,999,990) and order 4 (¥20) take store B over ¥2M in February.
      {
        month: '2026-02',
        paid_orders: 2,
        gmv_fen: 200_001_000,
        active_buyers: 2,
        selling_products: 1,
        buyer_categories: 2,
        newly_selling_merchants: 1,
        selling_merchants: 1,
        merchants_over_2m: 1,
        refunds: 1,
        refund_fen: 20_000,
      },
    ]);
  });

  it('counts a cancelled order at its paid total; a rebuild from the facts gives the same rollups', async () => {
    await analytics.ingestFanEvents([
      { storeId: STORE_A, buyerId: CY, kind: 'follow', source: 'live', at: '2026-02-01T00:00:00Z' },
      { storeId: STORE_A, buyerId: CY, kind: 'unfollow', source: null, at: '2026-02-03T00:00:00Z' },
    ]);
    // A paid order cancelled (whole order): its paid total after the coupon, as GMV counted it.
    await analytics.ingestOrders([
      { ...order(6, STORE_A, BO, '2026-02-10T02:00:00Z', [shirt(10_000)]), totalFen: 8_000 },
    ]);
    const cancelled = {
      reason: 'order_cancelled',
      amountFen: 10_000,
      wholeOrder: true,
      at: '2026-02-11T02:00:00Z',
    };
    await analytics.ingestRefunds([
      { ...cancelled, key: 'cancelled:6', orderId: uuid(106), storeId: STORE_A },
      // an order analytics never saw paid keeps the event's amount
      { ...cancelled, key: 'cancelled:7', orderId: uuid(107), storeId: STORE_A },
    ]);
    const amounts = await sql<{ refund_key: string; amount_fen: string }>`
      select refund_key, amount_fen from analytics_refunds where reason = 'order_cancelled' order by refund_key`.execute(
      database.db,
    );
    expect(amounts.rows.map((r) => [r.refund_key, Number(r.amount_fen)])).toEqual([
      ['cancelled:6', 8_000],
      ['cancelled:7', 10_000],
    ]);
    const incremental = await snapshot(database.db);
    await analytics.rebuildRollups();
    expect(await snapshot(database.db)).toEqual(incremental);
  });
});
