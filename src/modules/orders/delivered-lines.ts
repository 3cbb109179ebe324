import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';

/** An order line of a delivered order, as the default-review task reads it. */
export interface DeliveredLine {
  orderId: string;
  skuId: string;
  productId: string;
  storeId: string;
  buyerId: string;
  size: string;
  color: string;
  quantity: number;
  refundedQuantity: number;
  /** When the order was delivered (its completion when no delivery was recorded): the cursor's key. */
  deliveredAt: Date;
}

/** Where a walk over delivered orders stands: orders delivered before `at`, and at `at` up to `orderId`. */
export interface DeliveredCursor {
  at: Date;
  orderId: string;
}

/**
 * The lines of up to `limit` orders delivered (delivered_at, else completed_at) after `after` and at or
 * before `upTo`, in (delivered, order id) order: whole orders, so a cursor set to the last order read
 * never splits one. Orders delivered, completed, or refunded after delivery. Statements: one (a range
 * scan of the index `orders_delivered_for_reviews`, whose expression and predicate are this query's).
 */
export async function linesDeliveredBetween(
  db: Db,
  after: DeliveredCursor | null,
  upTo: Date,
  limit: number,
): Promise<DeliveredLine[]> {
  // A row comparison, so the position is where the scan of `orders_delivered_for_reviews` starts.
  const from = after
    ? sql`and (coalesce(o.delivered_at, o.completed_at), o.id) > (${after.at}::timestamptz, ${after.orderId}::uuid)`
    : sql``;
  const rows = await sql<DeliveredLine>`
    with picked as (
      select o.id, o.store_id, o.buyer_id, coalesce(o.delivered_at, o.completed_at) as at
      from orders o
      where o.status in ('delivered', 'completed', 'refunded')
        and coalesce(o.delivered_at, o.completed_at) is not null
        and coalesce(o.delivered_at, o.completed_at) <= ${upTo} ${from}
      order by coalesce(o.delivered_at, o.completed_at), o.id
      limit ${limit}
    )
    select p.id as "orderId", l.sku_id as "skuId", l.product_id as "productId", p.store_id as "storeId",
           p.buyer_id as "buyerId", l.size, l.color, l.quantity, l.refunded_quantity as "refundedQuantity",
           p.at as "deliveredAt"
    from picked p join order_lines l on l.order_id = p.id
    order by p.at, p.id, l.sku_id`.execute(db);
  return rows.rows.map((r) => ({ ...r, deliveredAt: new Date(r.deliveredAt) }));
}

/** Title and image of order lines, keyed `orderId:skuId` (what a review shows of the item). Statements: one. */
export async function orderLineTitles(
  db: Db,
  orderIds: string[],
): Promise<Map<string, { title: string; image: string }>> {
  const ids = [...new Set(orderIds)];
  if (ids.length === 0) return new Map();
  const rows = await sql<{ order_id: string; sku_id: string; title: string; image: string }>`
    select order_id, sku_id, title, image from order_lines where order_id = any(${ids}::uuid[])`.execute(db);
  return new Map(rows.rows.map((r) => [`${r.order_id}:${r.sku_id}`, { title: r.title, image: r.image }]));
}
