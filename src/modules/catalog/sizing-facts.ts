import { sql } from 'kysely';
import type { FitType, ProductStatus, SizeChart } from './schema.ts';
import type { CatalogDb } from './tables.ts';

/** What the size assistant needs to know of a product, read in one query. */
export interface ProductSizingFacts {
  id: string;
  brand: string;
  categoryId: string;
  isApparel: boolean;
  fitType: FitType | null;
  sizeChart: SizeChart | null;
  /** The sizes it sells, in the merchant's order (S, M, L …), each once. */
  sizes: string[];
}

export async function productSizingFacts(
  db: CatalogDb,
  productId: string,
): Promise<ProductSizingFacts | undefined> {
  const rows = await sql<Omit<ProductSizingFacts, 'sizes'> & { sizes: string[] | null }>`
    select p.id, p.brand, p.category_id as "categoryId", c.is_apparel as "isApparel", p.fit_type as "fitType",
           p.size_chart as "sizeChart",
           (select array_agg(s.size order by s.position, s.id) from skus s
             where s.product_id = p.id and s.size <> '') as sizes
    from products p join categories c on c.id = p.category_id
    where p.id = ${productId}`.execute(db);
  const row = rows.rows[0];
  if (!row) return undefined;
  return { ...row, sizes: [...new Set(row.sizes ?? [])] };
}

/** A store's apparel product, as the size assistant's merchant insights list it. */
export interface ApparelProduct {
  id: string;
  title: string;
  categoryId: string;
  brand: string;
  fitType: FitType | null;
  sizeChart: SizeChart | null;
  status: ProductStatus;
}

/** The store's apparel products (on sale or not), newest first, at most `limit`. */
export async function storeApparelProducts(
  db: CatalogDb,
  storeId: string,
  limit: number,
): Promise<ApparelProduct[]> {
  return db
    .selectFrom('products as p')
    .innerJoin('categories as c', 'c.id', 'p.category_id')
    .select([
      'p.id',
      'p.title',
      'p.category_id as categoryId',
      'p.brand',
      'p.fit_type as fitType',
      'p.size_chart as sizeChart',
      'p.status',
    ])
    .where('p.store_id', '=', storeId)
    .where('c.is_apparel', '=', true)
    .orderBy('p.created_at', 'desc')
    .orderBy('p.id')
    .limit(limit)
    .execute();
}

/** Which of these products are apparel (in an apparel category); one query for any number of ids. */
export async function apparelProductIds(db: CatalogDb, productIds: string[]): Promise<Set<string>> {
  const ids = [...new Set(productIds)];
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('products as p')
    .innerJoin('categories as c', 'c.id', 'p.category_id')
    .select('p.id')
    .where('p.id', 'in', ids)
    .where('c.is_apparel', '=', true)
    .execute();
  return new Set(rows.map((r) => r.id));
}
