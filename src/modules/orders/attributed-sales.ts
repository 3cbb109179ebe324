import { sql } from 'kysely';
import type { AttributionChannel } from '../../platform/attribution.ts';
import { BUSINESS_TIME_ZONE } from '../../platform/business-day.ts';
import type { Db } from '../../platform/db.ts';
import { SOLD } from './state-machine.ts';

/**
 * What a store sold through one piece of content (a live session, short videos, replay clips), read
 * from the order lines' attribution (migration 250). A line counts when its order is sold (paid and
 * not cancelled or refunded since: `SOLD`, as the dashboard's GMV counts it), net of what was refunded
 * of it since (after-sale refunds of some units): units `quantity − refunded_quantity`, GMV
 * `paid_fen − refunded_fen`.
 */
export interface AttributedProductSales {
  productId: string;
  /** The line's title as bought (the latest one when it changed). */
  title: string;
  units: number;
  gmvFen: number;
  /** Sold orders with at least one such line of the product. */
  orders: number;
}

export interface AttributedTotals {
  /** Sold orders with at least one attributed line. */
  orders: number;
  units: number;
  gmvFen: number;
}

export interface AttributedFilter {
  storeId: string;
  channel: AttributionChannel;
  /** The content the lines came through (a session id, clip ids); an empty set matches nothing. */
  contentIds: string[];
}

const lower = (ids: string[]) => ids.map((id) => id.toLowerCase());

/** Units, GMV and orders per product of the store's sold lines with this channel and content. */
export async function attributedProductSales(db: Db, f: AttributedFilter): Promise<AttributedProductSales[]> {
  if (f.contentIds.length === 0) return [];
  const rows = await sql<{
    product_id: string;
    title: string;
    units: number;
    gmv_fen: string;
    orders: number;
  }>`
    select l.product_id, (array_agg(l.title order by o.paid_at desc))[1] as title,
           sum(l.quantity - l.refunded_quantity)::int as units,
           sum(l.paid_fen - l.refunded_fen)::bigint as gmv_fen,
           count(distinct l.order_id)::int as orders
    from order_lines l join orders o on o.id = l.order_id
    where o.store_id = ${f.storeId} and o.status = any(${SOLD}::text[])
      and l.channel = ${f.channel} and l.content_id = any(${lower(f.contentIds)}::uuid[])
    group by l.product_id`.execute(db);
  return rows.rows.map((r) => ({
    productId: r.product_id,
    title: r.title,
    units: r.units,
    gmvFen: Number(r.gmv_fen),
    orders: r.orders,
  }));
}

/** Orders, units and GMV of the store's sold lines with this channel and content. */
export async function attributedTotals(db: Db, f: AttributedFilter): Promise<AttributedTotals> {
  if (f.contentIds.length === 0) return { orders: 0, units: 0, gmvFen: 0 };
  const rows = await sql<{ orders: number; units: number | null; gmv_fen: string | null }>`
    select count(distinct l.order_id)::int as orders,
           sum(l.quantity - l.refunded_quantity)::int as units,
           sum(l.paid_fen - l.refunded_fen)::bigint as gmv_fen
    from order_lines l join orders o on o.id = l.order_id
    where o.store_id = ${f.storeId} and o.status = any(${SOLD}::text[])
      and l.channel = ${f.channel} and l.content_id = any(${lower(f.contentIds)}::uuid[])`.execute(db);
  const r = rows.rows[0];
  return { orders: r?.orders ?? 0, units: r?.units ?? 0, gmvFen: Number(r?.gmv_fen ?? 0) };
}

export interface ChannelGmv {
  channel: AttributionChannel;
  gmvFen: number;
  /** Sold orders with at least one line of the channel (an order of two channels counts in both). */
  orders: number;
}

/**
 * A store's GMV by the channel of its lines, over the business days `firstDay`..`lastDay`
 * (YYYY-MM-DD, inclusive, in the platform's business time zone) by the day the order was paid.
 * Only the channels that sold something are listed.
 */
export async function channelGmv(
  db: Db,
  storeId: string,
  firstDay: string,
  lastDay: string,
): Promise<ChannelGmv[]> {
  const rows = await sql<{ channel: AttributionChannel; gmv_fen: string; orders: number }>`
    select l.channel, sum(l.paid_fen - l.refunded_fen)::bigint as gmv_fen,
           count(distinct l.order_id)::int as orders
    from order_lines l join orders o on o.id = l.order_id
    where o.store_id = ${storeId} and o.status = any(${SOLD}::text[])
      and o.paid_at >= ${firstDay}::date::timestamp at time zone ${BUSINESS_TIME_ZONE}
      and o.paid_at < (${lastDay}::date + 1)::timestamp at time zone ${BUSINESS_TIME_ZONE}
    group by l.channel order by l.channel`.execute(db);
  return rows.rows.map((r) => ({ channel: r.channel, gmvFen: Number(r.gmv_fen), orders: r.orders }));
}
