import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import type { SizeChart } from './schemas.ts';

/**
 * Read-only facts sizing needs from the catalog and orders tables for its reports, which those
 * modules' index.ts do not offer yet (aggregates over all of a store's products and over all
 * purchased order lines). Kept in this one file so that, when catalog/orders export such queries,
 * only this file changes. Nothing here writes.
 */

/** Order states in which the buyer paid and the goods were bought (refunded after-sale included). */
export const PURCHASED = ['paid', 'shipped', 'delivered', 'completed', 'refunded'];

export interface StoreApparelProduct {
  id: string;
  title: string;
  categoryId: string;
  brand: string;
  fitType: 'slim' | 'regular' | 'loose' | null;
  sizeChart: SizeChart | null;
  status: 'on_sale' | 'off_sale';
  /** Purchased order lines (units not counted: one line = one purchase decision). */
  purchasedLines: number;
}

/** The store's apparel products with their purchased order lines, newest first. */
export async function storeApparelProducts(
  db: Db,
  storeId: string,
  limit: number,
): Promise<StoreApparelProduct[]> {
  const r = await sql<{
    id: string;
    title: string;
    category_id: string;
    brand: string;
    fit_type: StoreApparelProduct['fitType'];
    size_chart: SizeChart | null;
    status: StoreApparelProduct['status'];
    lines: number;
  }>`
    select p.id, p.title, p.category_id, p.brand, p.fit_type, p.size_chart, p.status,
      (select count(*) from order_lines l join orders o on o.id = l.order_id
        where l.product_id = p.id and o.status = any(${PURCHASED}::text[]))::int as lines
    from products p join categories c on c.id = p.category_id
    where p.store_id = ${storeId} and c.is_apparel
    order by p.created_at desc, p.id limit ${limit}`.execute(db);
  return r.rows.map((p) => ({
    id: p.id,
    title: p.title,
    categoryId: p.category_id,
    brand: p.brand,
    fitType: p.fit_type,
    sizeChart: p.size_chart,
    status: p.status,
    purchasedLines: p.lines,
  }));
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
 */
export async function dailySizeMetrics(db: Db, from: Date, to: Date): Promise<DailySizeMetrics[]> {
  const r = await sql<{
    day: string;
    lines: number;
    with_rec: number;
    refunds_with: number;
    refunds_without: number;
  }>`
    with lines as (
      select o.created_at, l.order_id, l.sku_id,
        exists (select 1 from size_recommendations r
                where r.account_id = o.buyer_id and r.product_id = l.product_id and r.created_at <= o.created_at) as rec,
        exists (select 1 from size_refund_lines s where s.order_id = l.order_id and s.sku_id = l.sku_id) as refund
      from orders o
      join order_lines l on l.order_id = o.id
      join products p on p.id = l.product_id
      join categories c on c.id = p.category_id
      where c.is_apparel and o.status = any(${PURCHASED}::text[])
        and o.created_at >= ${from} and o.created_at < ${to}
    )
    select to_char(date_trunc('day', created_at at time zone 'UTC'), 'YYYY-MM-DD') as day,
      count(*)::int as lines,
      count(*) filter (where rec)::int as with_rec,
      count(*) filter (where rec and refund)::int as refunds_with,
      count(*) filter (where not rec and refund)::int as refunds_without
    from lines group by 1 order by 1`.execute(db);
  return r.rows.map((d) => ({
    day: d.day,
    lines: d.lines,
    withRecommendation: d.with_rec,
    sizeRefundsWith: d.refunds_with,
    sizeRefundsWithout: d.refunds_without,
  }));
}
