import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import { type AnySubscriber, subscriber } from '../../platform/events.ts';

/** Counts orders per store for the ops merchant list. */
export type StoreCounter = (storeIds: string[]) => Promise<Map<string, number>>;

/**
 * Merchants keeps its own record of each store's orders (`store_orders`), fed by `order.placed`:
 * one row per order, so a redelivered event changes nothing.
 */
export function orderCountSubscribers(db: Db): AnySubscriber[] {
  return [
    subscriber('merchants.count-orders', 'order.placed', async (e) => {
      await sql`insert into store_orders (order_id, store_id) values (${e.orderId}, ${e.storeId})
        on conflict (order_id) do nothing`.execute(db);
    }),
  ];
}

/** Orders per store, from merchants' own record. */
export function storeOrderCounts(db: Db): StoreCounter {
  return async (storeIds) => {
    if (storeIds.length === 0) return new Map();
    const rows = await sql<{ storeId: string; n: number }>`
      select store_id as "storeId", count(*)::int as n from store_orders
      where store_id = any(${storeIds}::uuid[]) group by store_id`.execute(db);
    return new Map(rows.rows.map((r) => [r.storeId, r.n]));
  };
}
