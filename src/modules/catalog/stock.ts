import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';

export interface StockLine {
  skuId: string;
  quantity: number;
}

/** What checkout needs to know about a SKU it sells. */
export interface SkuForSale {
  skuId: string;
  productId: string;
  storeId: string;
  title: string;
  image: string;
  size: string;
  color: string;
  priceFen: number;
  stock: number;
  onSale: boolean;
}

/** One query for any number of SKUs (no N+1). */
export async function skusForSale(db: Db, skuIds: string[]): Promise<Map<string, SkuForSale>> {
  if (skuIds.length === 0) return new Map();
  const rows = await sql<SkuForSale>`
    select s.id as "skuId", p.id as "productId", p.store_id as "storeId", p.title,
           coalesce(p.images->>0, '') as image, s.size, s.color, s.price_fen as "priceFen", s.stock,
           (p.status = 'on_sale') as "onSale"
    from skus s join products p on p.id = s.product_id
    where s.id = any(${skuIds}::uuid[])`.execute(db);
  return new Map(rows.rows.map((r) => [r.skuId, r]));
}

/** Adds up repeated SKUs so each appears once, in SKU-id order (the order rows are locked in). */
export function mergeStockLines(lines: StockLine[]): StockLine[] {
  const byId = new Map<string, number>();
  for (const l of lines) byId.set(l.skuId, (byId.get(l.skuId) ?? 0) + l.quantity);
  return [...byId]
    .map(([skuId, quantity]) => ({ skuId, quantity }))
    .sort((a, b) => (a.skuId < b.skuId ? -1 : 1));
}

/** A SKU as `reserveForSale` found it under its lock, and whether its stock was taken. */
export interface SkuReservation extends SkuForSale {
  reserved: boolean;
}

/**
 * Checkout's one statement while it holds stock locks: locks the wanted SKU rows in SKU-id order
 * (so two multi-SKU checkouts can never deadlock), takes the stock of each line whose product is
 * on sale and which has enough left (the conditional update cannot take more than is there), and
 * returns what checkout needs about every SKU, with `reserved`. All or nothing is the caller's:
 * if any line is not reserved, it throws and its transaction rolls back.
 *
 * Why one statement: the locks last until the caller commits, so each round trip saved here is
 * time other checkouts of the same SKU do not wait. `locked` is materialized and sorted before
 * its rows are locked, and the update only touches rows `locked` returned, i.e. rows this
 * transaction already holds, so every lock wait happens in id order.
 */
export async function reserveForSale(trx: Db, lines: StockLine[]): Promise<Map<string, SkuReservation>> {
  const wanted = mergeStockLines(lines);
  if (wanted.length === 0) return new Map();
  const rows = await sql<SkuReservation>`
    with locked as materialized (
      select s.id, s.stock, w.qty, p.id as product_id, p.store_id, p.title,
             coalesce(p.images->>0, '') as image, s.size, s.color, s.price_fen,
             (p.status = 'on_sale') as on_sale
      from unnest(${wanted.map((l) => l.skuId)}::uuid[], ${wanted.map((l) => l.quantity)}::int[]) as w(id, qty)
        join skus s on s.id = w.id
        join products p on p.id = s.product_id
      order by s.id
      for update of s
    ), taken as (
      update skus s set stock = s.stock - l.qty
      from locked l
      where s.id = l.id and l.on_sale and s.stock >= l.qty
      returning s.id, s.stock
    )
    select l.id as "skuId", l.product_id as "productId", l.store_id as "storeId", l.title, l.image,
           l.size, l.color, l.price_fen as "priceFen", coalesce(t.stock, l.stock) as stock,
           l.on_sale as "onSale", (t.id is not null) as reserved
    from locked l left join taken t on t.id = l.id`.execute(trx);
  return new Map(rows.rows.map((r) => [r.skuId, r]));
}

/** Gives stock back (order cancelled or expired), in the same lock order; one statement. */
export async function releaseStock(trx: Db, lines: StockLine[]): Promise<void> {
  const back = mergeStockLines(lines);
  if (back.length === 0) return;
  const ids = back.map((l) => l.skuId);
  const qty = back.map((l) => l.quantity);
  await sql`
    with locked as materialized (
      select id from skus where id = any(${ids}::uuid[]) order by id for update
    )
    update skus s set stock = s.stock + v.qty
    from unnest(${ids}::uuid[], ${qty}::int[]) as v(id, qty) join locked l on l.id = v.id
    where s.id = v.id`.execute(trx);
}

/**
 * Counts units sold on their products (`products.sales`, which the `sales` sort and the product
 * cards show). Call it in the transaction that records the sale (e.g. when an order is paid), and
 * with negative quantities when a paid order is refunded. One statement whatever the number of lines.
 */
export async function recordSales(trx: Db, lines: StockLine[]): Promise<void> {
  const sold = mergeStockLines(lines);
  if (sold.length === 0) return;
  const ids = sold.map((l) => l.skuId);
  const qty = sold.map((l) => l.quantity);
  await sql`
    update products p set sales = greatest(0, p.sales + t.qty)
    from (select s.product_id, sum(v.qty)::int as qty
          from unnest(${ids}::uuid[], ${qty}::int[]) as v(id, qty) join skus s on s.id = v.id
          group by s.product_id) t
    where p.id = t.product_id`.execute(trx);
}
