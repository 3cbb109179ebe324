import { storeSummaries } from '../merchants/index.ts';
import { type Quote, quoteEach } from '../pricing/index.ts';
import type { FinalPrice, ProductDetail, SkuView } from './api-schema.ts';
import { distinctInOrder } from './product-rules.ts';
import { chartInSizeOrder } from './size-chart-order.ts';
import { levelsOf } from './stock-levels.ts';
import type { CatalogDb } from './tables.ts';

export type { ProductDetail, SkuView };

export interface DetailOptions {
  /** Add each SKU's `inventory` (merchant views). */
  inventory?: boolean;
  /** Leave out products of suspended stores (what buyers may see). */
  openStoresOnly?: boolean;
  /** Whose final price each SKU shows, and when (pricing's quote of one unit). */
  price: { buyerId: string | null; at: Date };
}

/** A one-unit quote as the SKU's final price: the list price, then each discount (negative). */
export function finalPriceOf(q: Quote | undefined, listFen: number): FinalPrice {
  const line = q?.lines[0];
  if (!q || !line) return { unitFen: listFen, listFen, breakdown: [{ label: 'price.list', fen: listFen }] };
  return {
    unitFen: q.totalFen,
    listFen: line.listUnitFen,
    breakdown: [
      { label: 'price.list', fen: line.listUnitFen },
      ...line.discounts.map((d) => ({
        label: `price.${d.kind}`,
        fen: -d.fen,
        kind: d.kind,
        id: d.id,
        funder: d.funder,
      })),
    ],
  };
}

/** Full products with SKUs, final prices and store names: three queries for any number of ids. */
export async function loadProductDetails(
  db: CatalogDb,
  ids: string[],
  options: DetailOptions,
): Promise<Map<string, ProductDetail>> {
  if (ids.length === 0) return new Map();
  const cdb = db;
  const products = await cdb.selectFrom('products').selectAll().where('id', 'in', ids).execute();
  if (products.length === 0) return new Map();
  const skus = await cdb
    .selectFrom('skus')
    .selectAll()
    .where(
      'product_id',
      'in',
      products.map((p) => p.id),
    )
    .orderBy('product_id')
    .orderBy('position')
    .orderBy('id')
    .execute();
  const [stores, quotes] = await Promise.all([
    storeSummaries(
      db,
      products.map((p) => p.store_id),
    ),
    quoteEach(
      db,
      options.price,
      skus.map((s) => s.id),
    ),
  ]);
  const skusOf = new Map<string, SkuView[]>();
  for (const s of skus) {
    const list = skusOf.get(s.product_id) ?? [];
    list.push({
      id: s.id,
      size: s.size,
      color: s.color,
      priceFen: s.price_fen,
      stock: s.stock,
      finalPrice: finalPriceOf(quotes.get(s.id), s.price_fen),
      ...(options.inventory ? { inventory: levelsOf(s) } : {}),
    });
    skusOf.set(s.product_id, list);
  }
  const out = new Map<string, ProductDetail>();
  for (const p of products) {
    if (options.openStoresOnly && stores.get(p.store_id)?.status !== 'open') continue;
    const list = skusOf.get(p.id) ?? [];
    const sizes = distinctInOrder(list.map((s) => s.size).filter((s) => s !== ''));
    out.set(p.id, {
      id: p.id,
      title: p.title,
      description: p.description,
      images: p.images,
      categoryId: p.category_id,
      storeId: p.store_id,
      storeName: stores.get(p.store_id)?.name ?? '',
      brand: p.brand,
      fitType: p.fit_type,
      sizeChart: p.size_chart ? chartInSizeOrder(p.size_chart, sizes) : null,
      status: p.status,
      sales: p.sales,
      sizes,
      colors: distinctInOrder(list.map((s) => s.color).filter((c) => c !== '')),
      skus: list,
      createdAt: p.created_at,
      updatedAt: p.updated_at,
    });
  }
  return out;
}
