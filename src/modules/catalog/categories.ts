import type { CategoryNode, CategoryTreeNode } from './api-schema.ts';
import type { CategoryFacts } from './product-rules.ts';
import type { CatalogDb, CatalogTables } from './tables.ts';

export type { CategoryNode, CategoryTreeNode };

/** The two-level tree, roots and leaves in their `sort` order; one query. */
export async function categoryTree(db: CatalogDb): Promise<CategoryTreeNode[]> {
  const rows = await db.selectFrom('categories').selectAll().orderBy('sort').orderBy('id').execute();
  const node = (r: CatalogTables['categories']): CategoryNode => ({
    id: r.id,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    isApparel: r.is_apparel,
  });
  const roots = rows
    .filter((r) => r.parent_id === null)
    .map((r) => ({ ...node(r), children: [] as CategoryNode[] }));
  const byId = new Map(roots.map((r) => [r.id, r]));
  for (const r of rows) if (r.parent_id) byId.get(r.parent_id)?.children.push(node(r));
  return roots;
}

/** Whether a category exists, is a leaf and holds garments; null when unknown. */
export async function categoryFacts(db: CatalogDb, id: string): Promise<CategoryFacts | null> {
  const row = await db
    .selectFrom('categories')
    .select(['id', 'parent_id', 'is_apparel'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? { id: row.id, isLeaf: row.parent_id !== null, isApparel: row.is_apparel } : null;
}

/** Each product's (leaf) category, one query for any number of products (analytics' sub-categories). */
export async function productCategories(db: CatalogDb, productIds: string[]): Promise<Map<string, string>> {
  const ids = [...new Set(productIds)];
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('products').select(['id', 'category_id']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.category_id]));
}
