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

/** Read again behind the cursor each run: orders whose delivered instant is earlier than a later-read one. */
export const DEFAULT_REVIEW_MARGIN_MS = 2 * DAY_MS;
const NIL_ID = '00000000-0000-0000-0000-000000000000';

/**
 * The default positive review (默认好评): a line delivered more than `days` ago that its buyer has not
 * reviewed gets rating 5, no text, `is_default`, counted and published like a written one. Lines
 * refunded in full, and lines with an open after-sale request (`openLines`: the money may still go
 * back), are skipped. The walk goes forward with `review_default_cursor` (delivered instant, order id)
 * but each run starts `DEFAULT_REVIEW_MARGIN_MS` behind it: delivered instants need not arrive in order
 * (a delivery recorded late, a clock set back by the seed or a test), and an order delivered at or
 * before the cursor would otherwise never be read. Reading a line twice is harmless: the insert is
 * `on conflict do nothing`, and only the rows it inserted are counted and published, so a line the
 * buyer (or an earlier run) reviewed is never reviewed, counted or published twice.
 * Per batch of orders: one read of the cursor (locked), one of the lines, one of the open after-sale
 * requests, one insert, four statements per review written (aggregates), one publish, one cursor write
 * (which never moves the cursor back).
 */
export async function runDefaultReviews(
  deps: { db: Db; events: Publisher; openLines: (db: Db, orderIds: string[]) => Promise<Set<string>> },
  now: Date,
  days: number,
): Promise<number> {
  const upTo = new Date(now.getTime() - days * DAY_MS);
  const stored = await sql<{ delivered_at: Date }>`
    select delivered_at from review_default_cursor where id = 1`.execute(deps.db);
  const start = stored.rows[0];
  // This run's position: the margin behind the cursor, then the last order each batch read.
  let after: DeliveredCursor | null = start
    ? { at: new Date(new Date(start.delivered_at).getTime() - DEFAULT_REVIEW_MARGIN_MS), orderId: NIL_ID }
    : null;
  let written = 0;
  for (;;) {
    const batch = await deps.db.transaction().execute(async (trx) => {
      // Locks the cursor: two processes running the task take turns instead of racing.
      await sql`select 1 from review_default_cursor where id = 1 for update`.execute(trx);
      const lines = await linesDeliveredBetween(trx, after, upTo, BATCH_ORDERS);
      const last = lines[lines.length - 1];
      if (!last) return { orders: 0, written: 0, last: null };
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
      // Forward only: a run re-reading the margin leaves a cursor another run moved further alone.
      await sql`
        insert into review_default_cursor (id, delivered_at, order_id) values (1, ${last.deliveredAt}, ${last.orderId})
        on conflict (id) do update set delivered_at = excluded.delivered_at, order_id = excluded.order_id
        where (review_default_cursor.delivered_at, review_default_cursor.order_id)
          < (excluded.delivered_at, excluded.order_id)`.execute(trx);
      const orders = new Set(lines.map((l) => l.orderId)).size;
      return { orders, written: rows.length, last };
    });
    written += batch.written;
    if (batch.last) after = { at: batch.last.deliveredAt, orderId: batch.last.orderId };
    if (batch.orders < BATCH_ORDERS) return written;
  }
}
