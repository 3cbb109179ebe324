import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import type { Publisher } from '../../platform/events.ts';
import { newId } from '../../platform/ids.ts';
import { type DeliveredCursor, linesDeliveredBetween } from '../orders/index.ts';
import { countReview } from './stats.ts';
import type { ReviewRow, ReviewsDb } from './tables.ts';

const DAY_MS = 86_400_000;
/** Orders read per batch (one transaction each). */
const BATCH_ORDERS = 200;

/**
 * The default positive review (默认好评): a line delivered more than `days` ago that its buyer has not
 * reviewed gets rating 5, no text, `is_default`, counted and published like a written one. Lines
 * refunded in full, and lines with an open after-sale request (`openLines`: the money may still go
 * back), are skipped. The walk goes forward with `review_default_cursor` (delivered instant, order id),
 * read under its row lock in each batch, so two processes take turns and never read an order twice; each
 * run reads only orders delivered since the last. Orders are delivered at the clock's `now` and the walk
 * stops `days` (≥ 1) before it, so a delivery never lands behind the cursor while the clock moves forward.
 * The insert is `on conflict do nothing` (a buyer's review written at the same moment wins) and only the
 * rows it inserted are counted and published.
 * Per batch of orders: one read of the cursor (locked), one of the lines, one of the open after-sale
 * requests, one insert, four statements per review written (aggregates), one publish, one cursor write.
 */
export async function runDefaultReviews(
  deps: { db: Db; events: Publisher; openLines: (db: Db, orderIds: string[]) => Promise<Set<string>> },
  now: Date,
  days: number,
): Promise<number> {
  const upTo = new Date(now.getTime() - days * DAY_MS);
  let written = 0;
  for (;;) {
    const batch = await deps.db.transaction().execute(async (trx) => {
      // Locks the cursor: two processes running the task take turns instead of racing.
      const stored = await sql<DeliveredCursor>`
        select delivered_at as at, order_id as "orderId" from review_default_cursor where id = 1 for update`.execute(
        trx,
      );
      const after = stored.rows[0] ? { ...stored.rows[0], at: new Date(stored.rows[0].at) } : null;
      const lines = await linesDeliveredBetween(trx, after, upTo, BATCH_ORDERS);
      const last = lines[lines.length - 1];
      if (!last) return { orders: 0, written: 0 };
      const open = await deps.openLines(trx, [...new Set(lines.map((l) => l.orderId))]);
      const due = lines.filter(
        (l) => l.refundedQuantity < l.quantity && !open.has(`${l.orderId}:${l.skuId}`),
      );
      let rows: ReviewRow[] = [];
      if (due.length > 0) {
        const inserted = await sql<ReviewRow>`
          insert into reviews (id, order_id, sku_id, product_id, store_id, buyer_id, size, color, rating,
                               body, is_default, created_at)
          select id, order_id, sku_id, product_id, store_id, buyer_id, size, color, 5, '', true, ${now}
          from unnest(${due.map(() => newId())}::uuid[], ${due.map((l) => l.orderId)}::uuid[],
                      ${due.map((l) => l.skuId)}::uuid[], ${due.map((l) => l.productId)}::uuid[],
                      ${due.map((l) => l.storeId)}::uuid[], ${due.map((l) => l.buyerId)}::uuid[],
                      ${due.map((l) => l.size)}::text[], ${due.map((l) => l.color)}::text[])
            as d(id, order_id, sku_id, product_id, store_id, buyer_id, size, color)
          on conflict (order_id, sku_id) do nothing
          returning *`.execute(trx);
        rows = inserted.rows;
      }
      for (const r of rows) await countReview(trx as unknown as ReviewsDb, r, 1);
      if (rows.length > 0) {
        await deps.events.publishAll(
          trx,
          'review.created',
          rows.map((r) => ({
            reviewId: r.id,
            orderId: r.order_id,
            skuId: r.sku_id,
            productId: r.product_id,
            storeId: r.store_id,
            buyerId: r.buyer_id,
            rating: 5,
            fit: null,
            isDefault: true,
          })),
        );
      }
      await sql`
        insert into review_default_cursor (id, delivered_at, order_id) values (1, ${last.deliveredAt}, ${last.orderId})
        on conflict (id) do update set delivered_at = excluded.delivered_at, order_id = excluded.order_id`.execute(
        trx,
      );
      const orders = new Set(lines.map((l) => l.orderId)).size;
      return { orders, written: rows.length };
    });
    written += batch.written;
    if (batch.orders < BATCH_ORDERS) return written;
  }
}
