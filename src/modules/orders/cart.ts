import { sql } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import { notFound, unprocessable } from '../../platform/errors.ts';
import { skusForSale } from '../catalog/index.ts';
import { quote } from '../pricing/index.ts';
import type { CartLine, CartView } from './api-schema.ts';
import { storeNames } from './views.ts';

export type { CartLine, CartView };

/**
 * The buyer's cart priced by pricing's quote (the same checkout charges, with the best coupons);
 * six queries whatever its size.
 */
export async function cartView(db: Db, buyerId: string, at: Date): Promise<CartView> {
  const items = await sql<{ sku_id: string; quantity: number }>`
    select sku_id, quantity from cart_items where buyer_id = ${buyerId} order by added_at, sku_id`.execute(
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

export async function setCartQuantity(
  db: Db,
  clock: Clock,
  buyerId: string,
  skuId: string,
  quantity: number,
): Promise<void> {
  const sku = (await skusForSale(db, [skuId])).get(skuId);
  if (!sku) throw notFound('SKU');
  if (!sku.onSale) throw unprocessable('not_on_sale', 'This product is not on sale');
  await sql`
    insert into cart_items (buyer_id, sku_id, quantity, added_at)
    values (${buyerId}, ${skuId}, ${quantity}, ${clock.now()})
    on conflict (buyer_id, sku_id) do update set quantity = excluded.quantity`.execute(db);
}

export async function removeCartItem(db: Db, buyerId: string, skuId: string): Promise<void> {
  await sql`delete from cart_items where buyer_id = ${buyerId} and sku_id = ${skuId}`.execute(db);
}
