import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import { OPEN_STATUSES } from './states.ts';

// Literals, so the planner matches the partial unique index `aftersale_requests_open_line` (one open
// request per line, so no duplicates either).
const OPEN_IN = sql.join(OPEN_STATUSES.map((s) => sql.lit(s)));

/**
 * The order lines of `orderIds` with an open after-sale request (requested, in review, approved,
 * returning), keyed `orderId:skuId`: the default-review task gives such lines no review, as the money
 * may still go back. Statements: one (none for no orders).
 */
export async function openRequestLines(db: Db, orderIds: string[]): Promise<Set<string>> {
  const ids = [...new Set(orderIds)];
  if (ids.length === 0) return new Set();
  const rows = await sql<{ order_id: string; sku_id: string }>`
    select order_id, sku_id from aftersale_requests
    where order_id = any(${ids}::uuid[]) and status in (${OPEN_IN})`.execute(db);
  return new Set(rows.rows.map((r) => `${r.order_id}:${r.sku_id}`));
}
