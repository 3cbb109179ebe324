import { type Attribution, DIRECT } from '../../platform/attribution.ts';
import type { OrderEventLine } from '../../platform/events.ts';
import type { AttributionColumns, OrderLineRow } from './schema.ts';

/** A row's attribution columns as the value type. */
export function attributionOf(row: AttributionColumns): Attribution {
  return {
    channel: row.channel ?? 'direct',
    impressionId: row.impression_id ?? null,
    contentId: row.content_id ?? null,
  };
}

/** The value type as a row's attribution columns. */
export function attributionColumns(a: Attribution): AttributionColumns {
  return { channel: a.channel, impression_id: a.impressionId, content_id: a.contentId };
}

/**
 * The attribution of one checkout line: the buy-now request's line's own, else the request's
 * `attribution`, else the buyer's cart line of that SKU (the latest attribution it was put there
 * with), else direct. A checkout of the cart (no lines in the request) takes the cart's lines as
 * they are (`fromCart`).
 */
export function lineAttribution(
  requestLine: Attribution | undefined,
  request: Attribution | undefined,
  fromCart: Attribution | null | undefined,
): Attribution {
  return requestLine ?? request ?? fromCart ?? DIRECT;
}

/**
 * The attribution of a whole checkout or order: the request's `attribution` when it gave one,
 * else that of its line that paid the most (ties: the lower SKU id), else direct.
 */
export function leadingAttribution(
  request: Attribution | undefined,
  lines: Array<{ skuId: string; paidFen: number; attribution: Attribution }>,
): Attribution {
  if (request) return request;
  let best: (typeof lines)[number] | undefined;
  for (const l of lines) {
    if (!best || l.paidFen > best.paidFen || (l.paidFen === best.paidFen && l.skuId < best.skuId)) best = l;
  }
  return best?.attribution ?? DIRECT;
}

/** Order lines as the orders' events carry them (events.ts `OrderEventLine`), in SKU-id order. */
export function eventLines(
  rows: Array<
    Pick<OrderLineRow, 'sku_id' | 'product_id' | 'quantity' | 'paid_fen' | 'unit_price_fen'> &
      AttributionColumns
  >,
): OrderEventLine[] {
  return [...rows]
    .sort((a, b) => (a.sku_id < b.sku_id ? -1 : a.sku_id > b.sku_id ? 1 : 0))
    .map((l) => ({
      skuId: l.sku_id,
      productId: l.product_id,
      quantity: l.quantity,
      amountFen: Number(l.paid_fen ?? l.unit_price_fen * l.quantity),
      attribution: attributionOf(l),
    }));
}
