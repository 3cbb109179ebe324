import { sql } from 'kysely';
import { type Attribution, DIRECT } from '../../platform/attribution.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import { notFound, unprocessable } from '../../platform/errors.ts';
import { skusForSale } from '../catalog/index.ts';
import { quote } from '../pricing/index.ts';
import type { CartLine, CartView } from './api-schema.ts';
import { attributionOf } from './line-attribution.ts';
import type { AttributionColumns } from './schema.ts';
import { storeNames } from './views.ts';

export type { CartLine, CartView };

/**
 * The buyer's cart priced by pricing's quote (the same checkout charges, with the best coupons);
 * six queries whatever its size.
 */
export async function cartView(db: Db, buyerId: string, at: Date): Promise<CartView> {
  const items = await sql<{ sku_id: string; quantity: number } & AttributionColumns>`
    select sku_id, quantity, channel, impression_id, content_id from cart_items where buyer_id = ${buyerId} order by added_at, sku_id`.execute(
    db,
  );
  const skus = await skusForSale(
    db,
    items.rows.map((i) => i.sku_id),
  );
  const names = await storeNames(
    db,
    [...skus.values()].map((s) => s.storeId),
  );
  const onSale = items.rows.filter((i) => skus.get(i.sku_id)?.onSale);
  const priced = await quote(
    db,
    { buyerId, at },
    onSale.map((i) => ({ skuId: i.sku_id, quantity: i.quantity })),
  );
  const lineOf = new Map(priced.lines.map((l) => [l.skuId, l]));
  const lines: CartLine[] = [];
  for (const item of items.rows) {
    const sku = skus.get(item.sku_id);
    if (!sku) continue;
    const q = lineOf.get(sku.skuId);
    lines.push({
      skuId: sku.skuId,
      productId: sku.productId,
      title: sku.title,
      image: sku.image,
      size: sku.size,
      color: sku.color,
      unitFen: q?.unitFen ?? sku.priceFen,
      listUnitFen: q?.listUnitFen ?? sku.priceFen,
      quantity: item.quantity,
      lineFen: q?.paidFen ?? 0,
      discounts: q?.discounts ?? [],
      stock: sku.stock,
      onSale: sku.onSale,
      storeId: sku.storeId,
      storeName: names.get(sku.storeId) ?? '',
      attribution: attributionOf(item),
    });
  }
  return {
    lines,
    listTotalFen: priced.listTotalFen,
    discountFen: priced.discountFen,
    totalFen: priced.totalFen,
    coupons: priced.coupons,
  };
}

/**
 * Puts a SKU in the cart with a quantity. `attribution` (where the buyer came from) is the line's
 * from now on when given: the line keeps the latest attribution it was put in the cart with (last
 * touch); a change of quantity without one keeps what the line had, and a new line without one is
 * direct.
 */
export async function setCartQuantity(
  db: Db,
  clock: Clock,
  buyerId: string,
  skuId: string,
  quantity: number,
  attribution?: Attribution,
): Promise<void> {
  const a = attribution ?? DIRECT;
  const sku = (await skusForSale(db, [skuId])).get(skuId);
  if (!sku) throw notFound('SKU');
  if (!sku.onSale) throw unprocessable('not_on_sale', 'This product is not on sale');
  await sql`
    insert into cart_items (buyer_id, sku_id, quantity, added_at, channel, impression_id, content_id)
    values (${buyerId}, ${skuId}, ${quantity}, ${clock.now()}, ${a.channel}, ${a.impressionId}::uuid,
            ${a.contentId}::uuid)
    on conflict (buyer_id, sku_id) do update set quantity = excluded.quantity${
      attribution
        ? sql`, channel = excluded.channel, impression_id = excluded.impression_id,
              content_id = excluded.content_id`
        : sql``
    }`.execute(db);
}

export async function removeCartItem(db: Db, buyerId: string, skuId: string): Promise<void> {
  await sql`delete from cart_items where buyer_id = ${buyerId} and sku_id = ${skuId}`.execute(db);
}
