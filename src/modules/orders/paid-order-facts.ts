import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';

/** A paid order as the metrics count it: who bought, when, and each line's product, channel and money. */
export interface PaidOrderFacts {
  orderId: string;
  storeId: string;
  buyerId: string;
  placedAt: Date;
  paidAt: Date;
  totalFen: number;
  lines: Array<{ productId: string; channel: string; amountFen: number; quantity: number }>;
}

/** The paid ones of these orders (analytics' `order.paid` subscriber), in one query. */
export async function paidOrderFacts(db: Db, orderIds: string[]): Promise<PaidOrderFacts[]> {
  if (orderIds.length === 0) return [];
  const { rows } = await sql<{
    id: string;
    store_id: string;
    buyer_id: string;
    created_at: Date;
    paid_at: Date;
    total_fen: string | number;
    lines: Array<{ productId: string; channel: string; amountFen: number; quantity: number }>;
  }>`
    select o.id, o.store_id, o.buyer_id, o.created_at, o.paid_at, o.total_fen,
           (select jsonb_agg(jsonb_build_object('productId', l.product_id, 'channel', l.channel,
                     'amountFen', l.paid_fen, 'quantity', l.quantity) order by l.sku_id)
            from order_lines l where l.order_id = o.id) as lines
    from orders o
    where o.id = any(${orderIds}::uuid[]) and o.paid_at is not null`.execute(db);
  return rows.map((r) => ({
    orderId: r.id,
    storeId: r.store_id,
    buyerId: r.buyer_id,
    placedAt: new Date(r.created_at),
    paidAt: new Date(r.paid_at),
    totalFen: Number(r.total_fen),
    lines: (r.lines ?? []).map((l) => ({ ...l, amountFen: Number(l.amountFen) })),
  }));
}
