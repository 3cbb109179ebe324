import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import type { FitType, SizeChart } from './schema.ts';

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

export async function productSizingFacts(db: Db, productId: string): Promise<ProductSizingFacts | undefined> {
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
