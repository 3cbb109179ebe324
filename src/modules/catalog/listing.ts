import { sql } from 'kysely';
import { storeIsOpen, storeSummaries } from '../merchants/index.ts';
import { finalUnitFenSql, quoteEach } from '../pricing/index.ts';
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

/**
 * A page of product cards. Six queries whatever the page size: count, page, the page's SKUs, their
 * final prices (pricing: list − subsidy at `at`, two queries), and the page's store names. The card
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
  let rows = base.select([
    'p.id',
    'p.title',
    sql<string>`coalesce(p.images->>0, '')`.as('image'),
    'p.store_id',
    'p.sales',
    'p.category_id',
    'p.status',
    'p.created_at',
  ]);
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
  const ids = found.map((r) => r.id);
  const [skus, stores] = await Promise.all([
    ids.length
      ? cdb
          .selectFrom('skus')
          .select(['id', 'product_id', 'price_fen', 'stock'])
          .where('product_id', 'in', ids)
          .execute()
      : Promise.resolve([]),
    storeSummaries(
      db,
      found.map((r) => r.store_id),
    ),
  ]);
  const quotes = await quoteEach(
    db,
    { buyerId: null, at, couponIds: [] },
    skus.map((s) => s.id),
  );
  const lowest = new Map<string, number>();
  const stock = new Map<string, number>();
  for (const s of skus) {
    const unit = quotes.get(s.id)?.totalFen ?? s.price_fen;
    const seen = lowest.get(s.product_id);
    if (seen === undefined || unit < seen) lowest.set(s.product_id, unit);
    stock.set(s.product_id, (stock.get(s.product_id) ?? 0) + s.stock);
  }
  return {
    items: found.map((r) => ({
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
    })),
    total: Number(count.n),
    page,
    pageSize,
  };
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
