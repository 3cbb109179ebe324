import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';

/** Counts orders per store for the ops merchant list. */
export type StoreCounter = (storeIds: string[]) => Promise<Map<string, number>>;

/**
 * Default order counter, used until the orders module provides its own through
 * `MerchantsDeps.orderCounts` (the orders table belongs to that module; this one query is the only
 * place merchants looks at it).
 */
export function orderCountsFromTable(db: Db): StoreCounter {
  return async (storeIds) => {
    if (storeIds.length === 0) return new Map();
    const rows = await sql<{ storeId: string; n: number }>`
      select store_id as "storeId", count(*)::int as n from orders
      where store_id = any(${storeIds}::uuid[]) group by store_id`.execute(db);
    return new Map(rows.rows.map((r) => [r.storeId, r.n]));
  };
}
