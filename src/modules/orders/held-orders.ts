import { type RawBuilder, sql } from 'kysely';
import type { Attribution } from '../../platform/attribution.ts';
import type { Db } from '../../platform/db.ts';
import type { Publisher } from '../../platform/events.ts';
import { newId } from '../../platform/ids.ts';
import type { StockCause, StockLine } from '../catalog/index.ts';
import { attributionColumns, eventLines } from './line-attribution.ts';
import type { Address } from './schema.ts';

/**
 * The seam for orders whose units another module holds (a flash sale's allotment): the units left the
 * SKU's sellable stock once, when the holder took them (they sit in the SKU's `reserved`, as a
 * normal unpaid order's do), so placing, paying and shipping such an order is an order like any other
 * but placing it never locks the SKU row. When one closes without shipping (expiry, cancel, refund
 * before shipping), orders asks the holder to take its units back; what the holder no longer holds
 * (the sale is over) goes back to the SKU. Exactly once per order (`order_stock_holds.released_at`).
 */

/** Units of one held order, as given back. */
export interface HeldUnits {
  orderId: string;
  holdId: string;
  skuId: string;
  quantity: number;
}

/** A module holding stock for orders (registered on OrdersService by name). */
export interface StockHolder {
  /**
   * In orders' transaction: takes these orders' units back where the hold still lasts; returns
   * those it did not take (orders returns them to the SKU).
   */
  takeBack(trx: Db, units: HeldUnits[], cause: StockCause): Promise<HeldUnits[]>;
}

/** What is sold in a held order (one line). */
export interface HeldOrderInput {
  /** The holder's name (e.g. 'flash') and its hold (e.g. the sale id). */
  holder: string;
  holdId: string;
  buyerId: string;
  storeId: string;
  sku: { skuId: string; productId: string; title: string; size: string; color: string; image: string };
  unitPriceFen: number;
  quantity: number;
  address: Address;
  attribution: Attribution;
  now: Date;
}

export interface HeldOrder {
  checkoutId: string;
  orderId: string;
  orderNo: string;
  totalFen: number;
  expiresAt: Date;
}

/** The CTE of `heldOrderSql` that returns the new order (`id`, `order_no`). */
export const HELD_ORDER_CTE = 'held_order';

/**
 * A checkout with one order of one line at the holder's price, as CTEs for the caller's own
 * statement (`with …, ${heldOrderSql(…).ctes}, …`), each write only when the caller's CTE `guard`
 * returned a row: checkout, order (numbered), line, first event, `order.placed`, the hold. The buyer
 * pays it through the normal pay flow (`/pay/<checkoutId>`); it expires like any unpaid order.
 * `held_order` returns the order's `id` and `order_no`.
 */
export function heldOrderSql(
  events: Publisher,
  input: HeldOrderInput,
  config: { ttlMinutes: number; commissionBps: number },
  guard: string,
): { ctes: RawBuilder<unknown>; order: Omit<HeldOrder, 'orderNo'> } {
  const checkoutId = newId();
  const orderId = newId();
  const totalFen = input.unitPriceFen * input.quantity;
  const expiresAt = new Date(input.now.getTime() + config.ttlMinutes * 60_000);
  const a = attributionColumns(input.attribution);
  const line = {
    sku_id: input.sku.skuId,
    product_id: input.sku.productId,
    quantity: input.quantity,
    paid_fen: totalFen,
    unit_price_fen: input.unitPriceFen,
    ...a,
  };
  const when = sql`exists (select 1 from ${sql.table(guard)})`;
  const ctes = sql`held_checkout as (
      insert into checkouts (id, buyer_id, total_fen, created_at, expires_at, channel, impression_id, content_id)
      select ${checkoutId}::uuid, ${input.buyerId}::uuid, ${totalFen}::bigint, ${input.now}::timestamptz,
             ${expiresAt}::timestamptz, ${a.channel}::text, ${a.impression_id}::uuid, ${a.content_id}::uuid
      where ${when}
      returning id
    ), held_order as (
      insert into orders (id, order_no, checkout_id, buyer_id, store_id, status, total_fen, platform_funded_fen,
                          address, created_at, expires_at, commission_bps, channel, impression_id, content_id)
      select ${orderId}::uuid, to_char(${input.now}::timestamptz at time zone 'UTC', 'YYYYMMDD') || '-' || lpad(n::text, greatest(9, length(n::text)), '0'),
             c.id, ${input.buyerId}::uuid, ${input.storeId}::uuid, 'pending_payment', ${totalFen}::bigint, 0,
             ${JSON.stringify(input.address)}::jsonb, ${input.now}::timestamptz, ${expiresAt}::timestamptz,
             ${config.commissionBps}::int, ${a.channel}::text, ${a.impression_id}::uuid, ${a.content_id}::uuid
      from held_checkout c cross join lateral (select nextval('order_no_seq') as n) s
      returning id, order_no
    ), held_line as (
      insert into order_lines (order_id, sku_id, product_id, title, size, color, image, unit_price_fen, quantity,
                               list_price_fen, discounts, paid_fen, platform_funded_fen, channel, impression_id, content_id)
      select id, ${input.sku.skuId}::uuid, ${input.sku.productId}::uuid, ${input.sku.title}::text, ${input.sku.size}::text,
             ${input.sku.color}::text, ${input.sku.image}::text, ${input.unitPriceFen}::bigint, ${input.quantity}::int,
             ${input.unitPriceFen}::bigint, '[]'::jsonb, ${totalFen}::bigint, 0, ${a.channel}::text,
             ${a.impression_id}::uuid, ${a.content_id}::uuid
      from held_order
    ), held_event as (
      insert into order_events (order_id, from_status, to_status, actor, at)
      select id, null, 'pending_payment', ${`buyer:${input.buyerId}`}::text, ${input.now}::timestamptz from held_order
    ), held_hold as (
      insert into order_stock_holds (order_id, holder, hold_id, sku_id, quantity)
      select id, ${input.holder}::text, ${input.holdId}::uuid, ${input.sku.skuId}::uuid, ${input.quantity}::int from held_order
    ), held_placed as (
      ${events.publishFrom('held_order', 'order.placed', {
        orderId,
        storeId: input.storeId,
        buyerId: input.buyerId,
        totalFen,
        lines: eventLines([line]),
      })}
    )`;
  return { ctes, order: { checkoutId, orderId, totalFen, expiresAt } };
}

/** `heldOrderSql` as a statement of its own, in the caller's transaction. */
export async function placeHeldOrder(
  trx: Db,
  events: Publisher,
  input: HeldOrderInput,
  config: { ttlMinutes: number; commissionBps: number },
): Promise<HeldOrder> {
  const { ctes, order } = heldOrderSql(events, input, config, 'always');
  const r = await sql<{ order_no: string }>`
    with always as (select 1), ${ctes}
    select order_no from held_order`.execute(trx);
  return { ...order, orderNo: r.rows[0]?.order_no ?? '' };
}

/**
 * The stock of these orders (closing without shipping) goes back, once: held orders' units to their
 * holder while it holds them, the rest (and all other orders' lines) to their SKUs.
 */
export async function releaseOrdersStock(
  trx: Db,
  orderIds: string[],
  cause: StockCause,
  holders: ReadonlyMap<string, StockHolder>,
  releaseToSku: (trx: Db, lines: StockLine[], cause: StockCause) => Promise<void>,
): Promise<void> {
  if (orderIds.length === 0) return;
  const rows = await sql<{
    held: boolean;
    order_id: string;
    holder: string | null;
    hold_id: string | null;
    sku_id: string;
    quantity: number;
  }>`
    with h as (select order_id from order_stock_holds where order_id = any(${orderIds}::uuid[])),
    released as (
      update order_stock_holds set released_at = ${cause.at}
      where order_id = any(${orderIds}::uuid[]) and released_at is null
      returning order_id, holder, hold_id, sku_id, quantity
    )
    select true as held, order_id, holder, hold_id, sku_id, quantity from released
    union all
    select false, l.order_id, null, null, l.sku_id, l.quantity from order_lines l
    where l.order_id = any(${orderIds}::uuid[]) and l.order_id not in (select order_id from h)`.execute(trx);
  const toSku: StockLine[] = [];
  const byHolder = new Map<string, HeldUnits[]>();
  for (const r of rows.rows) {
    if (!r.held) {
      toSku.push({ skuId: r.sku_id, quantity: r.quantity });
      continue;
    }
    const list = byHolder.get(r.holder as string) ?? [];
    list.push({ orderId: r.order_id, holdId: r.hold_id as string, skuId: r.sku_id, quantity: r.quantity });
    byHolder.set(r.holder as string, list);
  }
  for (const [name, units] of byHolder) {
    const holder = holders.get(name);
    const back = holder ? await holder.takeBack(trx, units, cause) : units;
    for (const u of back) toSku.push({ skuId: u.skuId, quantity: u.quantity });
  }
  await releaseToSku(trx, toSku, cause);
}
