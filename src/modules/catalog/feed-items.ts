import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import { finalUnitFenSql } from '../pricing/index.ts';
import type { CatalogDb } from './tables.ts';

/** A product as the feed sees it (traffic module): what its card shows and what the engine ranks by. */
export interface FeedProduct {
  id: string;
  storeId: string;
  categoryId: string;
  /** The category's parent (for the item's embedding), or null for a root. */
  parentCategoryId: string | null;
  title: string;
  image: string;
  /** The lowest final price (到手价) of its SKUs from pricing's final-price index; 0 when it has none. */
  priceFen: number;
  sales: number;
  onSale: boolean;
  updatedAt: Date;
  /** `updated_at` exactly as stored (microseconds), for the cursor. */
  changedAt: string;
}

/** A position in the walk of products by (updated_at, id): what `feedProducts` returned last. */
export interface FeedProductCursor {
  /** `changedAt` of the last product seen (full precision: a Date would drop the microseconds). */
  changedAt: string;
  id: string;
}

interface Row {
  id: string;
  store_id: string;
  category_id: string;
  parent_id: string | null;
  title: string;
  image: string;
  price_fen: number | null;
  sales: number;
  status: string;
  updated_at: Date;
  changed_at: string;
}

const view = (r: Row): FeedProduct => ({
  id: r.id,
  storeId: r.store_id,
  categoryId: r.category_id,
  parentCategoryId: r.parent_id,
  title: r.title,
  image: r.image,
  priceFen: Number(r.price_fen ?? 0),
  sales: Number(r.sales),
  onSale: r.status === 'on_sale',
  updatedAt: new Date(r.updated_at),
  changedAt: r.changed_at,
});

/**
 * Products changed after `after` (all of them from the start when null), oldest change first, at most
 * `limit`: one statement per batch, so the feed loads the whole catalogue in batches at start and then
 * follows changes (on sale, off sale, title, images…) by the cursor. Products taken off sale come too
 * (`onSale: false`), so the feed drops them. `onSaleOnly` skips them (the first full load).
 */
export async function feedProducts(
  db: Db,
  after: FeedProductCursor | null,
  limit: number,
  onSaleOnly = false,
): Promise<FeedProduct[]> {
  const cursor = after
    ? sql`and (p.updated_at, p.id) > (${after.changedAt}::timestamptz, ${after.id}::uuid)`
    : sql``;
  const status = onSaleOnly ? sql`and p.status = 'on_sale'` : sql``;
  const r = await sql<Row>`
    select p.id, p.store_id, p.category_id, c.parent_id, p.title, coalesce(p.images->>0, '') as image,
           (select min(${finalUnitFenSql(sql.ref('s.id'))}) from skus s where s.product_id = p.id) as price_fen,
           p.sales, p.status, p.updated_at, p.updated_at::text as changed_at
    from products p join categories c on c.id = p.category_id
    where true ${cursor} ${status}
    order by p.updated_at, p.id
    limit ${limit}`.execute(db as CatalogDb);
  return r.rows.map(view);
}

/**
 * The final price (lowest over its SKUs, from pricing's final-price index) of products on sale, by id
 * after `afterId`, at most `limit`: the feed re-reads prices in batches every few minutes, since a
 * subsidy window opening or closing changes a price without touching the product.
 */
export async function feedProductPrices(
  db: Db,
  afterId: string | null,
  limit: number,
): Promise<Array<{ id: string; storeId: string; priceFen: number; sales: number }>> {
  const cursor = afterId ? sql`and p.id > ${afterId}::uuid` : sql``;
  const r = await sql<{ id: string; store_id: string; price_fen: number | null; sales: number }>`
    select p.id, p.store_id, (select min(${finalUnitFenSql(sql.ref('s.id'))}) from skus s where s.product_id = p.id) as price_fen,
           p.sales
    from products p
    where p.status = 'on_sale' ${cursor}
    order by p.id
    limit ${limit}`.execute(db as CatalogDb);
  return r.rows.map((x) => ({
    id: x.id,
    storeId: x.store_id,
    priceFen: Number(x.price_fen ?? 0),
    sales: Number(x.sales),
  }));
}

/**
 * Products by id as the feed sees them (batched: the feed's periodic pass re-adds on-sale products it
 * is missing, e.g. of a store opened again, or a change its cursor skipped).
 */
export async function feedProductsByIds(db: Db, ids: readonly string[]): Promise<FeedProduct[]> {
  if (ids.length === 0) return [];
  const r = await sql<Row>`
    select p.id, p.store_id, p.category_id, c.parent_id, p.title, coalesce(p.images->>0, '') as image,
           (select min(${finalUnitFenSql(sql.ref('s.id'))}) from skus s where s.product_id = p.id) as price_fen,
           p.sales, p.status, p.updated_at, p.updated_at::text as changed_at
    from products p join categories c on c.id = p.category_id
    where p.id = any(${ids}::uuid[])`.execute(db as CatalogDb);
  return r.rows.map(view);
}
