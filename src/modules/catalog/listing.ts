import { sql } from 'kysely';
import { cappedCount, type KeysetPage, type KeysetQuery, splitPage } from '../../platform/keyset.ts';
import { storeIsOpen, storeSummaries } from '../merchants/index.ts';
import { finalUnitFenSql, subsidisedUnitFenSql } from '../pricing/index.ts';
import type { ProductCard } from './api-schema.ts';
import type { ProductStatus } from './schema.ts';
import type { CatalogDb } from './tables.ts';

export type ProductSort = 'new' | 'sales' | 'price_asc' | 'price_desc';

export interface ProductFilter {
  /** A leaf, or a root (meaning all of its leaves). */
  categoryId?: string;
  storeId?: string;
  /** Keyword on title, description and brand. */
  q?: string;
  /** Absent: any status (merchant and ops lists). */
  status?: ProductStatus;
  /** Only products of open stores (what buyers browse: a suspended store's products are hidden). */
  openStoresOnly?: boolean;
}

export type { ProductCard };

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** `%` and `_` in a keyword are literal characters, not wildcards. */
export function likePattern(keyword: string): string {
  return `%${keyword.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** What a product card is made of (both lists select it). */
const cardColumns = [
  'p.id',
  'p.title',
  sql<string>`coalesce(p.images->>0, '')`.as('image'),
  'p.store_id',
  'p.sales',
  'p.category_id',
  'p.status',
  'p.created_at',
] as const;

/**
 * A page of product cards. Four queries whatever the page size: count, page, the page's SKUs with
 * their final prices (pricing's rule as SQL: list − subsidy at `at`), and the page's store names. The card
 * price is the lowest final unit price of the product's SKUs for any buyer (coupons, which depend on
 * the buyer, show on the product page, cart and checkout); the price sort follows pricing's cached
 * final price of each SKU.
 */
export async function listProducts(
  db: CatalogDb,
  filter: ProductFilter,
  sort: ProductSort,
  page: number,
  pageSize: number,
  at: Date,
): Promise<Page<ProductCard>> {
  const cdb = db;
  let base = cdb.selectFrom('products as p');
  if (filter.status) base = base.where('p.status', '=', filter.status);
  if (filter.storeId) base = base.where('p.store_id', '=', filter.storeId);
  if (filter.openStoresOnly) base = base.where(storeIsOpen(sql.ref('p.store_id')));
  const categoryId = filter.categoryId;
  if (categoryId) {
    base = base.where('p.category_id', 'in', (eb) =>
      eb
        .selectFrom('categories')
        .select('categories.id')
        .where((w) =>
          w.or([w('categories.id', '=', categoryId), w('categories.parent_id', '=', categoryId)]),
        ),
    );
  }
  if (filter.q) {
    const pattern = likePattern(filter.q);
    base = base.where(
      sql<boolean>`(p.title ilike ${pattern} escape '\\' or p.description ilike ${pattern} escape '\\'
        or p.brand ilike ${pattern} escape '\\')`,
    );
  }
  const minPrice = sql<number>`(select min(${finalUnitFenSql(sql.ref('s.id'))}) from skus s where s.product_id = p.id)`;
  let rows = base.select(cardColumns);
  if (sort === 'sales') rows = rows.orderBy('p.sales', 'desc');
  if (sort === 'price_asc') rows = rows.orderBy(minPrice, 'asc');
  if (sort === 'price_desc') rows = rows.orderBy(minPrice, 'desc');
  rows = rows.orderBy('p.created_at', 'desc').orderBy('p.id', 'desc');

  const [count, found] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    rows
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
  ]);
  return { items: await productCards(db, found, at), total: Number(count.n), page, pageSize };
}

/**
 * Every product on the platform, newest first, for the ops console: keyset-paged (platform/keyset.ts),
 * so a deep page costs what the first does, with a count that stops at the cap.
 */
export async function opsProductPage(
  db: CatalogDb,
  status: ProductStatus | undefined,
  query: KeysetQuery,
  at: Date,
): Promise<KeysetPage<ProductCard>> {
  const where = status ? sql`where p.status = ${status}` : sql`where true`;
  const after = query.cursor
    ? sql`and (p.created_at, p.id) < (select c.created_at, c.id from products c where c.id = ${query.cursor})`
    : sql``;
  const [count, fetched] = await Promise.all([
    cappedCount(db, sql`from products p ${where}`),
    sql<CardRow>`select p.id, p.title, coalesce(p.images->>0, '') as image, p.store_id, p.sales, p.category_id,
        p.status, p.created_at
      from products p ${where} ${after}
      order by p.created_at desc, p.id desc limit ${query.pageSize + 1}`.execute(db),
  ]);
  const { rows, nextCursor } = splitPage(fetched.rows, query.pageSize);
  return { items: await productCards(db, rows, at), nextCursor, ...count, pageSize: query.pageSize };
}

interface CardRow {
  id: string;
  title: string;
  image: string;
  store_id: string;
  sales: number;
  category_id: string;
  status: ProductStatus;
  created_at: Date;
}

/** Product rows as cards: the lowest final price and stock of their SKUs, and their store names. */
async function productCards(db: CatalogDb, found: CardRow[], at: Date): Promise<ProductCard[]> {
  const cdb = db;
  const ids = found.map((r) => r.id);
  const [skus, stores] = await Promise.all([
    ids.length
      ? cdb
          .selectFrom('skus')
          .select([
            'product_id',
            'stock',
            subsidisedUnitFenSql(sql.ref('skus.id'), sql.ref('skus.price_fen'), at).as('final_fen'),
          ])
          .where('product_id', 'in', ids)
          .execute()
      : Promise.resolve([]),
    storeSummaries(
      db,
      found.map((r) => r.store_id),
    ),
  ]);
  const lowest = new Map<string, number>();
  const stock = new Map<string, number>();
  for (const s of skus) {
    const unit = Number(s.final_fen);
    const seen = lowest.get(s.product_id);
    if (seen === undefined || unit < seen) lowest.set(s.product_id, unit);
    stock.set(s.product_id, (stock.get(s.product_id) ?? 0) + s.stock);
  }
  return found.map((r) => ({
    id: r.id,
    title: r.title,
    image: r.image,
    storeId: r.store_id,
    storeName: stores.get(r.store_id)?.name ?? '',
    priceFen: lowest.get(r.id) ?? 0,
    sales: r.sales,
    categoryId: r.category_id,
    status: r.status,
    stock: stock.get(r.id) ?? 0,
    createdAt: r.created_at,
  }));
}

/** Products per store, one query; `onSaleOnly` counts what buyers can see. */
export async function productCountsByStore(
  db: CatalogDb,
  storeIds: string[],
  onSaleOnly: boolean,
): Promise<Map<string, number>> {
  if (storeIds.length === 0) return new Map();
  let q = db
    .selectFrom('products')
    .select(['store_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('store_id', 'in', storeIds)
    .groupBy('store_id');
  if (onSaleOnly) q = q.where('status', '=', 'on_sale');
  const rows = await q.execute();
  return new Map(rows.map((r) => [r.store_id, Number(r.n)]));
}
