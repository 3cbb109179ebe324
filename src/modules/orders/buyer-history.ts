import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';

/** A buyer's track record, for credit's line: orders finished (kept or refunded) and refunded. */
export interface BuyerOrderHistory {
  /** Orders received and confirmed (completed), or refunded after that. */
  finishedOrders: number;
  /** Orders that got money back (a line refunded, refunded in full, or cancelled after paying). */
  refundedOrders: number;
}

/** One query over the buyer's orders. */
export async function buyerOrderHistory(db: Db, buyerId: string): Promise<BuyerOrderHistory> {
  const r = await sql<{ finished: number; refunded: number }>`
    select count(*) filter (where o.status in ('completed', 'refunded'))::int as finished,
           count(*) filter (where o.status = 'refunded' or o.close_reason = 'buyer_cancelled_refunded'
             or exists (select 1 from order_lines l where l.order_id = o.id and l.refunded_fen > 0))::int as refunded
    from orders o where o.buyer_id = ${buyerId}`.execute(db);
  return { finishedOrders: r.rows[0]?.finished ?? 0, refundedOrders: r.rows[0]?.refunded ?? 0 };
}
