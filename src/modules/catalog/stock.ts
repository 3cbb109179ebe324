import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import { storeIsOpen } from '../merchants/index.ts';

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
  /** Sellable units. */
  stock: number;
  /** The product is on sale and its store is open. */
  onSale: boolean;
  /** The store is open (false: suspended by the platform). */
  storeOpen: boolean;
}

/** Who moved stock and why, for the stock-movement log. */
export interface StockCause {
  /** 'buyer:<account>', 'merchant:<account>', 'system:expiry' … */
  actor: string;
  at: Date;
  /** Free text: a merchant's words, or what caused it (order_cancelled, order_shipped …). */
  reason?: string;
  /** The checkout or order behind the movement. */
  ref?: string | null;
}

/** One query for any number of SKUs (no N+1). */
export async function skusForSale(db: Db, skuIds: string[]): Promise<Map<string, SkuForSale>> {
  if (skuIds.length === 0) return new Map();
  const rows = await sql<SkuForSale>`
    select s.id as "skuId", p.id as "productId", p.store_id as "storeId", p.title,
           coalesce(p.images->>0, '') as image, s.size, s.color, s.price_fen as "priceFen", s.stock,
           (p.status = 'on_sale' and o.open) as "onSale", o.open as "storeOpen"
    from skus s join products p on p.id = s.product_id
      cross join lateral (select ${storeIsOpen(sql.ref('p.store_id'))} as open) o
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
 * (so two multi-SKU checkouts can never deadlock), moves the units of each line whose product is
 * on sale, whose store is open and which has enough left from sellable to reserved (the conditional
 * update cannot take more than is there), logs each move, and returns what checkout needs about
 * every SKU, with `reserved`. All or nothing is the caller's: if any line is not reserved, it
 * throws and its transaction rolls back (the log rows with it).
 *
 * Why one statement: the locks last until the caller commits, so each round trip saved here is
 * time other checkouts of the same SKU do not wait. `locked` is materialized and sorted before
 * its rows are locked, and the update only touches rows `locked` returned, i.e. rows this
 * transaction already holds, so every lock wait happens in id order.
 */
export async function reserveForSale(
  trx: Db,
  lines: StockLine[],
  cause: StockCause,
): Promise<Map<string, SkuReservation>> {
  const wanted = mergeStockLines(lines);
  if (wanted.length === 0) return new Map();
  const rows = await sql<SkuReservation>`
    with locked as materialized (
      select s.id, s.stock, w.qty, p.id as product_id, p.store_id, p.title,
             coalesce(p.images->>0, '') as image, s.size, s.color, s.price_fen,
             (p.status = 'on_sale') as on_sale, ${storeIsOpen(sql.ref('p.store_id'))} as store_open
      from unnest(${wanted.map((l) => l.skuId)}::uuid[], ${wanted.map((l) => l.quantity)}::int[]) as w(id, qty)
        join skus s on s.id = w.id
        join products p on p.id = s.product_id
      order by s.id
      for update of s
    ), taken as (
      update skus s set stock = s.stock - l.qty, reserved = s.reserved + l.qty,
                        stock_version = s.stock_version + 1
      from locked l
      where s.id = l.id and l.on_sale and l.store_open and s.stock >= l.qty
      returning s.id, s.stock, s.reserved, l.qty
    ), moved as (
      ${logMoves('taken', 'reserve', cause, sql`0`, sql`qty`)}
    )
    select l.id as "skuId", l.product_id as "productId", l.store_id as "storeId", l.title, l.image,
           l.size, l.color, l.price_fen as "priceFen", coalesce(t.stock, l.stock) as stock,
           (l.on_sale and l.store_open) as "onSale", l.store_open as "storeOpen",
           (t.id is not null) as reserved
    from locked l left join taken t on t.id = l.id`.execute(trx);
  return new Map(rows.rows.map((r) => [r.skuId, r]));
}

/** Gives reserved stock back to sale (order cancelled or expired), in the same lock order; one statement. */
export async function releaseStock(trx: Db, lines: StockLine[], cause: StockCause): Promise<void> {
  await moveReserved(trx, lines, cause, 'release');
}

/**
 * Reserved units leave the shelf (the order shipped): reserved and on hand drop, sellable stays.
 * One statement, in the same lock order.
 */
export async function captureStock(trx: Db, lines: StockLine[], cause: StockCause): Promise<void> {
  await moveReserved(trx, lines, cause, 'capture');
}

async function moveReserved(
  trx: Db,
  lines: StockLine[],
  cause: StockCause,
  kind: 'release' | 'capture',
): Promise<void> {
  const moved = mergeStockLines(lines);
  if (moved.length === 0) return;
  const ids = moved.map((l) => l.skuId);
  const qty = moved.map((l) => l.quantity);
  const back = kind === 'release' ? sql`v.qty` : sql`0`;
  await sql`
    with locked as materialized (
      select id from skus where id = any(${ids}::uuid[]) order by id for update
    ), moved as (
      update skus s set stock = s.stock + ${back}, reserved = s.reserved - v.qty,
                        stock_version = s.stock_version + 1
      from unnest(${ids}::uuid[], ${qty}::int[]) as v(id, qty) join locked l on l.id = v.id
      where s.id = v.id
      returning s.id, s.stock, s.reserved, v.qty
    )
    ${logMoves('moved', kind, cause, kind === 'release' ? sql`0` : sql`-qty`, sql`-qty`)}`.execute(trx);
}

/**
 * The INSERT that logs one movement per row of `source` (a CTE returning id, stock, reserved, qty:
 * the SKU's numbers after the change), for use inside the statement that changes the stock.
 */
function logMoves(
  source: string,
  kind: 'reserve' | 'release' | 'capture',
  cause: StockCause,
  onHandDelta: RawBuilder<unknown>,
  reservedDelta: RawBuilder<unknown>,
) {
  return sql`insert into stock_movements
      (sku_id, at, kind, actor, reason, ref, on_hand_delta, reserved_delta, on_hand, reserved)
    select id, ${cause.at}::timestamptz, ${kind}, ${cause.actor}, ${cause.reason ?? ''}, ${cause.ref ?? null}::uuid,
           ${onHandDelta}, ${reservedDelta}, stock + reserved, reserved
    from ${sql.table(source)}`;
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
