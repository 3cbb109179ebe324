import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';

/** A buyer's track record, for credit's line: orders finished (kept or refunded) and refunded. */
export interface BuyerOrderHistory {
  /** Orders received and confirmed (completed), or refunded after receipt. */
  finishedOrders: number;
  /** Of those and of cancelled paid orders, how many got money back. */
  refundedOrders: number;
}

/** One query over the buyer's orders. */
export async function buyerOrderHistory(db: Db, buyerId: string): Promise<BuyerOrderHistory> {
  const r = await sql<{ finished: number; refunded: number }>`
    select count(*) filter (where status in ('completed', 'refunded'))::int as finished,
           count(*) filter (where status = 'refunded' or close_reason = 'buyer_cancelled_refunded')::int as refunded
    from orders where buyer_id = ${buyerId}`.execute(db);
  return { finishedOrders: r.rows[0]?.finished ?? 0, refundedOrders: r.rows[0]?.refunded ?? 0 };
}

/** TEMPORARY until h-ledger's lineMoney: what a bill needs of its order. */
export async function billFactsTemp(
  db: Db,
  orderIds: string[],
): Promise<Map<string, { status: string; completedAt: Date | null; paidFen: number; refundedFen: number }>> {
  if (orderIds.length === 0) return new Map();
  const r = await sql<{ id: string; status: string; completed_at: Date | null; total_fen: number }>`
    select id, status, completed_at, total_fen from orders where id = any(${orderIds}::uuid[])`.execute(db);
  return new Map(
    r.rows.map((o) => [
      o.id,
      {
        status: o.status,
        completedAt: o.completed_at ? new Date(o.completed_at) : null,
        paidFen: Number(o.total_fen),
        refundedFen: o.status === 'cancelled' ? Number(o.total_fen) : 0,
      },
    ]),
  );
}
