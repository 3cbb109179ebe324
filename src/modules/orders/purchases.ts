import type { Db } from '../../platform/db.ts';
import { type OrderStatus, SOLD } from './state-machine.ts';
import type { OrdersDb } from './tables.ts';

/** Order states in which the buyer paid and the goods were bought (refunded after-sale included). */
export const PURCHASED: OrderStatus[] = [...SOLD, 'refunded'];

/** A purchased order line: one purchase decision, whatever its quantity. */
export interface PurchasedLine {
  orderId: string;
  skuId: string;
  productId: string;
  buyerId: string;
  /** When the order was placed. */
  orderedAt: Date;
}

/** Purchased order lines per product, one query for any number of products. */
export async function purchasedLineCounts(db: Db, productIds: string[]): Promise<Map<string, number>> {
  const ids = [...new Set(productIds)];
  if (ids.length === 0) return new Map();
  const rows = await (db as OrdersDb)
    .selectFrom('order_lines as l')
    .innerJoin('orders as o', 'o.id', 'l.order_id')
    .select(['l.product_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('l.product_id', 'in', ids)
    .where('o.status', 'in', PURCHASED)
    .groupBy('l.product_id')
    .execute();
  return new Map(rows.map((r) => [r.product_id, Number(r.n)]));
}

/** The purchased order lines of orders placed in [from, to), oldest first. */
export async function purchasedLines(db: Db, from: Date, to: Date): Promise<PurchasedLine[]> {
  return (db as OrdersDb)
    .selectFrom('orders as o')
    .innerJoin('order_lines as l', 'l.order_id', 'o.id')
    .select([
      'l.order_id as orderId',
      'l.sku_id as skuId',
      'l.product_id as productId',
      'o.buyer_id as buyerId',
      'o.created_at as orderedAt',
    ])
    .where('o.status', 'in', PURCHASED)
    .where('o.created_at', '>=', from)
    .where('o.created_at', '<', to)
    .orderBy('o.created_at')
    .orderBy('l.order_id')
    .orderBy('l.sku_id')
    .execute();
}
