import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import { conflict, unprocessable } from '../../platform/errors.ts';
import { newId, newOrderNo } from '../../platform/ids.ts';
import { mergeStockLines, reserveForSale, type StockLine } from '../catalog/index.ts';
import { lockSubsidies, type QuoteLine, quote, redeemQuote } from '../pricing/index.ts';
import type { CheckoutView } from './api-schema.ts';
import type { Address, OrderLineRow, OrderRow } from './schema.ts';
import { orderView, storeNames } from './views.ts';

export interface CheckoutInput {
  lines?: StockLine[];
  address: Address;
  /** Exactly these coupons (`[]`: none); omitted: the best combination for the buyer (as the cart shows). */
  couponIds?: string[];
}

export type { CheckoutView };

/**
 * Places a checkout inside the caller's transaction: one order per store, stock reserved in the
 * database (all or nothing), prices from pricing's quote (computed once, here: each line stores its
 * list price, its discounts with their funder and what it pays; the order's total is Σ paid), the
 * subsidies and coupons drawn, the bought lines removed from the cart. A fixed number of statements
 * whatever the number of lines:
 *   1. lock + reserve the SKUs and read what is sold (catalog, one statement);
 *   1b. pricing: lock the subsidies, quote (three queries), redeem (a few statements);
 *   2. the store names (merchants);
 *   3. every write (checkout, orders, lines, first events, cart delete, the `order.placed` events
 *      from `published(view)`) in data-modifying CTEs, whose main statement is `answer(view)`: the
 *      caller's idempotency answer, stored with them.
 * Stock locks are held from 1 to the caller's COMMIT, so nothing else happens in between.
 */
export async function placeCheckout(
  trx: Db,
  buyerId: string,
  input: CheckoutInput,
  now: Date,
  ttlMinutes: number,
  answer: (view: CheckoutView) => RawBuilder<{ key: string }>,
  published: (view: CheckoutView) => RawBuilder<unknown>,
): Promise<{ view: CheckoutView; answered: boolean }> {
  let wanted: StockLine[];
  if (input.lines) {
    wanted = mergeStockLines(input.lines);
  } else {
    const cart = await sql<{ skuId: string; quantity: number }>`
      select sku_id as "skuId", quantity from cart_items where buyer_id = ${buyerId}`.execute(trx);
    wanted = cart.rows;
  }
  if (wanted.length === 0) throw unprocessable('cart_empty', 'There is nothing to check out');
  if (wanted.some((l) => l.quantity > 999)) throw unprocessable('quantity_too_large', 'At most 999 of a SKU');

  const checkoutId = newId();
  const skus = await reserveForSale(trx, wanted, {
    actor: `buyer:${buyerId}`,
    at: now,
    reason: 'checkout',
    ref: checkoutId,
  });
  const suspended = wanted.filter((l) => skus.get(l.skuId)?.storeOpen === false).map((l) => l.skuId);
  if (suspended.length > 0) {
    throw conflict('store_suspended', 'Some items are sold by a store that is suspended', {
      skuIds: suspended,
    });
  }
  const unavailable = wanted.filter((l) => !skus.get(l.skuId)?.onSale).map((l) => l.skuId);
  if (unavailable.length > 0) {
    throw conflict('sku_unavailable', 'Some items are not for sale', { skuIds: unavailable });
  }
  const short = wanted.filter((l) => !skus.get(l.skuId)?.reserved).map((l) => l.skuId);
  if (short.length > 0) throw conflict('out_of_stock', 'Some items are out of stock', { skuIds: short });
  // Subsidy counters are locked before the quote reads them: the draw below can never overspend.
  await lockSubsidies(
    trx,
    wanted.map((l) => l.skuId),
    now,
  );
  const priced = await quote(trx, { buyerId, at: now, couponIds: input.couponIds }, wanted);
  const pricedLine = new Map<string, QuoteLine>(priced.lines.map((l) => [l.skuId, l]));
  const names = await storeNames(
    trx,
    [...skus.values()].map((s) => s.storeId),
  );

  const expiresAt = new Date(now.getTime() + ttlMinutes * 60_000);
  const byStore = new Map<string, OrderLineRow[]>();
  const orderIdOf = new Map<string, string>();
  for (const line of wanted) {
    const sku = skus.get(line.skuId);
    const money = pricedLine.get(line.skuId);
    if (!sku || !money) continue;
    let orderId = orderIdOf.get(sku.storeId);
    if (!orderId) {
      orderId = newId();
      orderIdOf.set(sku.storeId, orderId);
      byStore.set(sku.storeId, []);
    }
    byStore.get(sku.storeId)?.push({
      order_id: orderId,
      sku_id: sku.skuId,
      product_id: sku.productId,
      title: sku.title,
      size: sku.size,
      color: sku.color,
      image: sku.image,
      unit_price_fen: money.unitFen,
      quantity: line.quantity,
    });
  }
  await redeemQuote(trx, priced, { buyerId, checkoutId, orderIdOfStore: orderIdOf, at: now });
  const orders: OrderRow[] = [...byStore].map(([storeId, lines]) => ({
    id: orderIdOf.get(storeId) as string,
    order_no: newOrderNo(now),
    checkout_id: checkoutId,
    buyer_id: buyerId,
    store_id: storeId,
    status: 'pending_payment',
    // What the buyer pays is Σ of what the lines pay: every discount is in the quote once.
    total_fen: lines.reduce((sum, l) => sum + (pricedLine.get(l.sku_id)?.paidFen ?? 0), 0),
    address: input.address,
    created_at: now,
    expires_at: expiresAt,
    paid_at: null,
    shipped_at: null,
    carrier: null,
    tracking_no: null,
    delivered_at: null,
    completed_at: null,
    closed_at: null,
    close_reason: null,
  }));
  const totalFen = orders.reduce((sum, o) => sum + o.total_fen, 0);
  const allLines = [...byStore.values()].flat();
  const moneyOf = (l: OrderLineRow) => pricedLine.get(l.sku_id) as QuoteLine;
  const platformFundedOf = (storeId: string) =>
    (byStore.get(storeId) ?? []).reduce((sum, l) => sum + moneyOf(l).platformFundedFen, 0);
  const view: CheckoutView = {
    id: checkoutId,
    totalFen,
    expiresAt: expiresAt.toISOString(),
    orders: orders.map((o) => orderView(o, byStore.get(o.store_id) ?? [], names.get(o.store_id) ?? '')),
  };

  // One statement for every write. Foreign keys between these rows are checked at the end of
  // the statement, when all of them exist.
  const stored = await sql<{ key: string }>`
    with new_checkout as (
      insert into checkouts (id, buyer_id, total_fen, created_at, expires_at)
      values (${checkoutId}, ${buyerId}, ${totalFen}, ${now}, ${expiresAt})
    ), new_orders as (
      insert into orders (id, order_no, checkout_id, buyer_id, store_id, status, total_fen, platform_funded_fen,
                          address, created_at, expires_at)
      select id, order_no, ${checkoutId}::uuid, ${buyerId}::uuid, store_id, 'pending_payment', total_fen,
             platform_funded_fen, address, ${now}::timestamptz, ${expiresAt}::timestamptz
      from unnest(${orders.map((o) => o.id)}::uuid[], ${orders.map((o) => o.order_no)}::text[],
                  ${orders.map((o) => o.store_id)}::uuid[], ${orders.map((o) => o.total_fen)}::bigint[],
                  ${orders.map((o) => platformFundedOf(o.store_id))}::bigint[],
                  ${orders.map((o) => JSON.stringify(o.address))}::jsonb[])
        as t(id, order_no, store_id, total_fen, platform_funded_fen, address)
    ), new_lines as (
      insert into order_lines (order_id, sku_id, product_id, title, size, color, image, unit_price_fen, quantity,
                               list_price_fen, discounts, paid_fen, platform_funded_fen)
      select * from unnest(${allLines.map((l) => l.order_id)}::uuid[], ${allLines.map((l) => l.sku_id)}::uuid[],
        ${allLines.map((l) => l.product_id)}::uuid[], ${allLines.map((l) => l.title)}::text[],
        ${allLines.map((l) => l.size)}::text[], ${allLines.map((l) => l.color)}::text[],
        ${allLines.map((l) => l.image)}::text[], ${allLines.map((l) => l.unit_price_fen)}::bigint[],
        ${allLines.map((l) => l.quantity)}::int[], ${allLines.map((l) => moneyOf(l).listUnitFen)}::bigint[],
        ${allLines.map((l) => JSON.stringify(moneyOf(l).discounts))}::jsonb[],
        ${allLines.map((l) => moneyOf(l).paidFen)}::bigint[], ${allLines.map((l) => moneyOf(l).platformFundedFen)}::bigint[])
    ), first_events as (
      insert into order_events (order_id, from_status, to_status, actor, at)
      select id, null, 'pending_payment', ${`buyer:${buyerId}`}, ${now}::timestamptz
      from unnest(${orders.map((o) => o.id)}::uuid[]) as t(id)
    ), bought as (
      delete from cart_items where buyer_id = ${buyerId} and sku_id = any(${wanted.map((l) => l.skuId)}::uuid[])
    ), placed as (${published(view)})
    ${answer(view)}`.execute(trx);
  return { view, answered: stored.rows.length === 1 };
}
