import { sql } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import type { Publisher } from '../../platform/events.ts';
import { refundLineMoneyBatch } from '../payments/index.ts';

/**
 * Order lines for price protection (7天价保), set-based: a hot SKU may have 100,000 protected lines,
 * so they are read in one query and refunded in batches of a few statements each.
 */

/** Statuses in which a paid order's lines can still be compensated. */
const LIVE = ['paid', 'shipped', 'delivered', 'completed'];
const COUPON_KINDS = ['store_coupon', 'platform_coupon', 'follow_coupon', 'fan_coupon'];

export interface ProtectedLine {
  orderId: string;
  skuId: string;
  buyerId: string;
  storeId: string;
  paymentMethod: 'online' | 'pay_later';
  paidAt: Date;
  quantity: number;
  refundedQuantity: number;
  paidFen: number;
  refundedFen: number;
  /** The coupons the line used, and what they took off it. */
  couponIds: string[];
  couponFen: number;
}

/**
 * Lines of a SKU (or of one order) in live orders paid in (paidAfter, paidUpTo], not yet refunded
 * in full. One query (index order_lines (sku_id) for the SKU, the primary key for an order).
 */
export async function protectedLines(
  db: Db,
  q: { skuId?: string; orderId?: string; paidAfter: Date; paidUpTo: Date },
): Promise<ProtectedLine[]> {
  if (!q.skuId && !q.orderId) throw new Error('protectedLines needs a SKU or an order');
  const rows = await sql<{
    order_id: string;
    sku_id: string;
    buyer_id: string;
    store_id: string;
    payment_method: 'online' | 'pay_later';
    paid_at: Date;
    quantity: number;
    refunded_quantity: number;
    paid_fen: string;
    refunded_fen: string;
    coupon_ids: string[] | null;
    coupon_fen: string;
  }>`
    select l.order_id, l.sku_id, o.buyer_id, o.store_id, o.payment_method, o.paid_at, l.quantity,
           l.refunded_quantity, l.paid_fen, l.refunded_fen,
           case when l.discounts = '[]'::jsonb then null else
             (select array_agg(distinct d->>'id') from jsonb_array_elements(l.discounts) d
              where d->>'kind' = any(${COUPON_KINDS}::text[])) end as coupon_ids,
           case when l.discounts = '[]'::jsonb then 0 else
             (select coalesce(sum((d->>'fen')::bigint), 0) from jsonb_array_elements(l.discounts) d
              where d->>'kind' = any(${COUPON_KINDS}::text[])) end as coupon_fen
    from order_lines l join orders o on o.id = l.order_id
    where ${q.skuId ? sql`l.sku_id = ${q.skuId}` : sql`true`}
      and ${q.orderId ? sql`l.order_id = ${q.orderId}` : sql`true`}
      and o.status = any(${LIVE}::text[])
      and o.paid_at > ${q.paidAfter} and o.paid_at <= ${q.paidUpTo}
      and l.refunded_quantity < l.quantity and l.refunded_fen < l.paid_fen`.execute(db);
  return rows.rows.map((r) => ({
    orderId: r.order_id,
    skuId: r.sku_id,
    buyerId: r.buyer_id,
    storeId: r.store_id,
    paymentMethod: r.payment_method,
    paidAt: new Date(r.paid_at),
    quantity: Number(r.quantity),
    refundedQuantity: Number(r.refunded_quantity),
    paidFen: Number(r.paid_fen),
    refundedFen: Number(r.refunded_fen),
    couponIds: r.coupon_ids ?? [],
    couponFen: Number(r.coupon_fen),
  }));
}

export interface LineAmount {
  orderId: string;
  skuId: string;
  reference: string;
  amountFen: number;
}

/**
 * `refundLines` for many amount-only refunds (quantity 0) at once, with its rules: a line never
 * gets back more than it paid (each amount is capped at what the line still has paid, the database
 * checks it again), idempotent by reference (a reference seen before books nothing), the money
 * moved by payments by funder (escrow before settlement, clawback after, platform_expense:<expense>
 * when the platform pays). Statements per batch: cap and book the lines and orders (1), payments (2),
 * and only when some reference was booked before, give those back (1), whatever the number of lines. Returns what each reference booked now (0: nothing).
 */
export async function refundLinesBatch(
  trx: Db,
  deps: { clock: Clock; events: Publisher },
  batch: {
    funder: 'merchant' | 'platform';
    expense: string;
    kind: 'refund' | 'compensation';
    reason: string;
    items: LineAmount[];
  },
): Promise<Array<{ reference: string; refundedFen: number }>> {
  if (batch.items.length === 0) return [];
  const { items } = batch;
  const merchant = batch.funder === 'merchant';
  // Cap and book on the lines (and the merchant-funded total on the orders) in one statement; the
  // database's check (refunded_fen ≤ paid_fen) holds against any concurrent refund.
  const moved = await sql<{
    reference: string;
    order_id: string;
    sku_id: string;
    fen: string;
    store_id: string;
    commission_bps: number;
    settled: boolean;
  }>`
    with r as (
      select * from unnest(${items.map((i) => i.orderId)}::uuid[], ${items.map((i) => i.skuId)}::uuid[],
                           ${items.map((i) => i.reference)}::text[], ${items.map((i) => i.amountFen)}::bigint[])
        as r(order_id, sku_id, reference, amount)
    ), cur as (
      select r.reference, r.order_id, r.sku_id, least(r.amount, l.paid_fen - l.refunded_fen) as fen,
             o.store_id, o.commission_bps, o.settled_at is not null as settled
      -- One primary-key look-up per item (lateral, limit 1: never a scan of every line of the table).
      from r cross join lateral (
        select l.paid_fen, l.refunded_fen from order_lines l
        where l.order_id = r.order_id and l.sku_id = r.sku_id limit 1) l
      join orders o on o.id = r.order_id
      where o.status = any(${LIVE}::text[]) and l.paid_fen > l.refunded_fen and r.amount > 0
    ), lines as (
      update order_lines l set refunded_fen = l.refunded_fen + c.fen
      from cur c where l.order_id = c.order_id and l.sku_id = c.sku_id
    ), orders_moved as (
      update orders o set merchant_refunded_fen = o.merchant_refunded_fen + s.fen
      from (select order_id, sum(fen) as fen from cur group by order_id) s
      where o.id = s.order_id and ${merchant}
    )
    select * from cur`.execute(trx);
  const capped = moved.rows.map((m) => ({
    orderId: m.order_id,
    skuId: m.sku_id,
    reference: m.reference,
    amountFen: Number(m.fen),
    storeId: m.store_id,
    settled: m.settled,
    commissionBps: Number(m.commission_bps),
  }));
  const written = await refundLineMoneyBatch(
    trx,
    deps,
    { funder: batch.funder, expense: batch.expense, kind: batch.kind, reason: batch.reason },
    capped,
  );
  const booked = new Map(written.map((w) => [w.reference, w.amountFen]));
  const seenBefore = capped.filter((c) => !booked.has(c.reference));
  if (seenBefore.length > 0) {
    // References booked before: nothing moves for them, so their lines are given back what was added.
    await sql`
      with r as (
        select * from unnest(${seenBefore.map((d) => d.orderId)}::uuid[], ${seenBefore.map((d) => d.skuId)}::uuid[],
                             ${seenBefore.map((d) => d.amountFen)}::bigint[]) as r(order_id, sku_id, fen)
      ), lines as (
        update order_lines l set refunded_fen = l.refunded_fen - r.fen
        from r where l.order_id = r.order_id and l.sku_id = r.sku_id
      )
      update orders o set merchant_refunded_fen = o.merchant_refunded_fen - s.fen
      from (select order_id, sum(fen) as fen from r group by order_id) s
      where o.id = s.order_id and ${merchant}`.execute(trx);
  }
  return items.map((i) => ({ reference: i.reference, refundedFen: booked.get(i.reference) ?? 0 }));
}
