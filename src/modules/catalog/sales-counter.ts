import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import { type AnySubscriber, subscriber } from '../../platform/events.ts';
import { recordSales, type StockLine } from './stock.ts';

/**
 * The sales counter (`products.sales`) follows the orders: units count when an order is paid and
 * stop counting when a paid order is cancelled or refunded in full. Each event may arrive more than once and in either
 * order, so `product_sales_orders` remembers per order what was seen, under a row lock: the
 * counter moves once per order and only by what the two events together mean.
 */
export function salesCounterSubscribers(db: Db): AnySubscriber[] {
  return [
    subscriber('catalog.count-sales', 'order.paid', (e) => countOrder(db, e.orderId, e.lines, 'sold')),
    subscriber('catalog.uncount-sales', 'order.cancelled', async (e) => {
      if (e.wasPaid) await countOrder(db, e.orderId, e.lines, 'returned');
    }),
    subscriber('catalog.uncount-refunded-sales', 'order.refunded', (e) =>
      countOrder(db, e.orderId, e.lines, 'returned'),
    ),
  ];
}

async function countOrder(db: Db, orderId: string, lines: StockLine[], seen: 'sold' | 'returned') {
  await db.transaction().execute(async (trx) => {
    await sql`insert into product_sales_orders (order_id) values (${orderId}) on conflict do nothing`.execute(
      trx,
    );
    const r = await sql<{ sold: boolean; returned: boolean }>`
      select sold, returned from product_sales_orders where order_id = ${orderId} for update`.execute(trx);
    const before = r.rows[0] ?? { sold: false, returned: false };
    if (before[seen]) return; // a redelivery: counted already
    await sql`update product_sales_orders set ${sql.ref(seen)} = true where order_id = ${orderId}`.execute(
      trx,
    );
    // A sale counts while it is not returned: a return that came first means the sale never counts.
    if (seen === 'sold' && !before.returned) await recordSales(trx, lines);
    if (seen === 'returned' && before.sold)
      await recordSales(
        trx,
        lines.map((l) => ({ ...l, quantity: -l.quantity })),
      );
  });
}
