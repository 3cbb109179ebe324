import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import type { ApparelProduct } from '../catalog/index.ts';
import type { PurchasedLine } from '../orders/index.ts';

/**
 * What sizing's reports need of the catalog and of orders, through the functions those modules
 * export (CatalogService and OrdersService provide them): sizing reads only its own tables.
 */
export interface StoreFactSources {
  /** The store's apparel products, newest first (catalog). */
  storeApparelProducts(storeId: string, limit: number): Promise<ApparelProduct[]>;
  /** Which of these products are apparel (catalog). */
  apparelProductIds(productIds: string[]): Promise<Set<string>>;
  /** Purchased order lines per product (orders). */
  purchasedLineCounts(productIds: string[]): Promise<Map<string, number>>;
  /** Purchased order lines of orders placed in [from, to) (orders). */
  purchasedLines(from: Date, to: Date): Promise<PurchasedLine[]>;
}

export interface StoreApparelProduct extends ApparelProduct {
  /** Purchased order lines (units not counted: one line = one purchase decision). */
  purchasedLines: number;
}

/** The store's apparel products with their purchased order lines, newest first; two queries. */
export async function storeApparelProducts(
  sources: Pick<StoreFactSources, 'storeApparelProducts' | 'purchasedLineCounts'>,
  storeId: string,
  limit: number,
): Promise<StoreApparelProduct[]> {
  const products = await sources.storeApparelProducts(storeId, limit);
  const lines = await sources.purchasedLineCounts(products.map((p) => p.id));
  return products.map((p) => ({ ...p, purchasedLines: lines.get(p.id) ?? 0 }));
}

export interface DailySizeMetrics {
  day: string;
  lines: number;
  withRecommendation: number;
  sizeRefundsWith: number;
  sizeRefundsWithout: number;
}

/**
 * Per day (UTC) over [from, to): purchased apparel order lines, how many had a recommendation for that
 * product shown to the buyer before the order was placed, and the size-reason refund requests of each kind.
 * Four queries whatever the number of lines: orders' lines, catalog's apparel among their products,
 * then sizing's own recommendations and size refunds for them.
 */
export async function dailySizeMetrics(
  db: Db,
  sources: Pick<StoreFactSources, 'apparelProductIds' | 'purchasedLines'>,
  from: Date,
  to: Date,
): Promise<DailySizeMetrics[]> {
  const purchased = await sources.purchasedLines(from, to);
  const apparel = await sources.apparelProductIds(purchased.map((l) => l.productId));
  const lines = purchased.filter((l) => apparel.has(l.productId));
  if (lines.length === 0) return [];
  const buyers = [...new Set(lines.map((l) => l.buyerId))];
  const products = [...new Set(lines.map((l) => l.productId))];
  const orders = [...new Set(lines.map((l) => l.orderId))];
  // The first recommendation each buyer saw for each product: a line had one when it came first.
  const firstShown = await sql<{ account_id: string; product_id: string; at: Date }>`
    select account_id, product_id, min(created_at) as at from size_recommendations
    where account_id = any(${buyers}::uuid[]) and product_id = any(${products}::uuid[])
    group by account_id, product_id`.execute(db);
  const shownAt = new Map(
    firstShown.rows.map((r) => [`${r.account_id}/${r.product_id}`, new Date(r.at).getTime()]),
  );
  const refunded = await sql<{ order_id: string; sku_id: string }>`
    select distinct order_id, sku_id from size_refund_lines where order_id = any(${orders}::uuid[])`.execute(
    db,
  );
  const refundedLines = new Set(refunded.rows.map((r) => `${r.order_id}/${r.sku_id}`));
  const byDay = new Map<string, DailySizeMetrics>();
  for (const l of lines) {
    const orderedAt = new Date(l.orderedAt);
    const day = orderedAt.toISOString().slice(0, 10);
    const d = byDay.get(day) ?? {
      day,
      lines: 0,
      withRecommendation: 0,
      sizeRefundsWith: 0,
      sizeRefundsWithout: 0,
    };
    byDay.set(day, d);
    const shown = shownAt.get(`${l.buyerId}/${l.productId}`);
    const rec = shown !== undefined && shown <= orderedAt.getTime();
    const refund = refundedLines.has(`${l.orderId}/${l.skuId}`);
    d.lines += 1;
    if (rec) d.withRecommendation += 1;
    if (rec && refund) d.sizeRefundsWith += 1;
    if (!rec && refund) d.sizeRefundsWithout += 1;
  }
  return [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day));
}
