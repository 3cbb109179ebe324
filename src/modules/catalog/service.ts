import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Actor } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import { AppError, forbidden, notFound, unprocessable } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { type PriceChange, recordPrices } from '../pricing/index.ts';
import { type CategoryTreeNode, categoryFacts, categoryTree } from './categories.ts';
import {
  listProducts,
  type Page,
  type ProductCard,
  type ProductSort,
  productCountsByStore,
} from './listing.ts';
import { saveImage } from './media.ts';
import { checkChartMatchesSizes, checkProductRules } from './product-rules.ts';
import { loadProductDetails, type ProductDetail } from './product-view.ts';
import type { CatalogTables, ProductStatus } from './schema.ts';
import { type ProductSizingFacts, productSizingFacts } from './sizing-facts.ts';
import {
  type ProductInput,
  type ProductPatch,
  productInputSchema,
  type SkuPatch,
  skuPatchSchema,
} from './validation.ts';

export interface CatalogDeps {
  db: Db;
  clock: Clock;
  /** Uploaded images live under `<dataDir>/media`. */
  dataDir: string;
}

export interface CreatedProduct {
  id: string;
  skuIds: string[];
}

type Trx = Transaction<CatalogTables>;

/** Rows per INSERT statement: keeps batches far below PostgreSQL's 65,535 parameters. */
const INSERT_CHUNK = 1000;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function merchantStoreId(actor: Actor): string {
  if (actor.role !== 'merchant') throw forbidden('This needs a merchant account');
  if (!actor.storeId) throw forbidden('Open your store first');
  return actor.storeId;
}

function requireOperator(actor: Actor): void {
  if (actor.role !== 'operator') throw forbidden('This needs an operator account');
}

export class CatalogService {
  private readonly db: Kysely<CatalogTables>;
  constructor(private readonly deps: CatalogDeps) {
    this.db = deps.db as Kysely<CatalogTables>;
  }

  categories(): Promise<CategoryTreeNode[]> {
    return categoryTree(this.deps.db);
  }

  /** A product as the size assistant sees it (chart, fit type, sizes, apparel or not), one query. */
  async sizingFacts(productId: string): Promise<ProductSizingFacts> {
    const facts = await productSizingFacts(this.deps.db, productId);
    if (!facts) throw notFound('Product');
    return facts;
  }

  /** What buyers browse: products on sale (home, category, store, search). */
  listForSale(
    filter: { categoryId?: string; storeId?: string; q?: string },
    sort: ProductSort,
    page: number,
    pageSize: number,
  ): Promise<Page<ProductCard>> {
    return listProducts(this.deps.db, { ...filter, status: 'on_sale' }, sort, page, pageSize);
  }

  /** The public product page; an off-sale product still shows (with its status) for old links. */
  async productDetail(productId: string): Promise<ProductDetail> {
    const product = (await loadProductDetails(this.deps.db, [productId])).get(productId);
    if (!product) throw notFound('Product');
    return product;
  }

  /** Products of the merchant's own store, any status unless asked. */
  merchantProducts(actor: Actor, status: ProductStatus | undefined, page: number, pageSize: number) {
    const storeId = merchantStoreId(actor);
    return listProducts(this.deps.db, { storeId, status }, 'new', page, pageSize);
  }

  /** One of the merchant's own products; another store's product is "not found". */
  async merchantProduct(actor: Actor, productId: string): Promise<ProductDetail> {
    const storeId = merchantStoreId(actor);
    const product = (await loadProductDetails(this.deps.db, [productId])).get(productId);
    if (!product || product.storeId !== storeId) throw notFound('Product');
    return product;
  }

  async createProduct(actor: Actor, input: ProductInput): Promise<ProductDetail> {
    const [created] = await this.createProducts(actor, [input]);
    if (!created) throw new Error('product was not created');
    return this.merchantProduct(actor, created.id);
  }

  /**
   * Creates products with their SKUs in one transaction, each SKU with its first price-history
   * row. Batched: a constant number of statements per batch (used by seeding, too).
   */
  async createProducts(actor: Actor, inputs: ProductInput[]): Promise<CreatedProduct[]> {
    const storeId = merchantStoreId(actor);
    const parsed = inputs.map((input, index) => {
      const result = productInputSchema.safeParse(input);
      if (!result.success) {
        throw new AppError(400, 'validation_failed', 'The product is not valid', {
          index,
          issues: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        });
      }
      return result.data;
    });
    const facts = new Map<string, Awaited<ReturnType<typeof categoryFacts>>>();
    for (const categoryId of new Set(parsed.map((p) => p.categoryId))) {
      facts.set(categoryId, await categoryFacts(this.deps.db, categoryId));
    }
    for (const p of parsed) {
      const category = facts.get(p.categoryId);
      if (!category)
        throw unprocessable('unknown_category', 'No such category', { categoryId: p.categoryId });
      checkProductRules(category, p);
    }

    const now = this.deps.clock.now();
    const created: CreatedProduct[] = [];
    const productRows: Insertable<CatalogTables['products']>[] = [];
    const skuRows: CatalogTables['skus'][] = [];
    const prices: PriceChange[] = [];
    for (const p of parsed) {
      const id = newId();
      productRows.push({
        id,
        store_id: storeId,
        category_id: p.categoryId,
        title: p.title,
        description: p.description,
        images: JSON.stringify(p.images),
        status: 'on_sale',
        size_chart: p.sizeChart ? JSON.stringify(p.sizeChart) : null,
        fit_type: p.fitType ?? null,
        brand: p.brand,
        sales: 0,
        created_at: now,
        updated_at: now,
      });
      const skuIds: string[] = [];
      p.skus.forEach((s, position) => {
        const skuId = newId();
        skuIds.push(skuId);
        skuRows.push({
          id: skuId,
          product_id: id,
          size: s.size,
          color: s.color,
          price_fen: s.priceFen,
          stock: s.stock,
          position,
        });
        prices.push({ skuId, priceFen: s.priceFen });
      });
      created.push({ id, skuIds });
    }
    await this.db.transaction().execute(async (trx) => {
      for (const rows of chunks(productRows, INSERT_CHUNK))
        await trx.insertInto('products').values(rows).execute();
      for (const rows of chunks(skuRows, INSERT_CHUNK)) await trx.insertInto('skus').values(rows).execute();
      for (const rows of chunks(prices, INSERT_CHUNK)) await recordPrices(trx, rows, now);
    });
    return created;
  }

  async updateProduct(actor: Actor, productId: string, patch: ProductPatch): Promise<ProductDetail> {
    const storeId = merchantStoreId(actor);
    await this.db.transaction().execute(async (trx) => {
      const product = await this.lockOwnProduct(trx, storeId, productId);
      const wantsChart = patch.sizeChart !== undefined && patch.sizeChart !== null;
      const wantsFit = patch.fitType !== undefined && patch.fitType !== null;
      if (wantsChart || wantsFit) {
        const category = await categoryFacts(trx, product.category_id);
        if (!category?.isApparel) {
          throw unprocessable(
            wantsChart ? 'size_chart_not_apparel' : 'fit_type_not_apparel',
            'Only garments carry a size chart and a fit type',
          );
        }
      }
      if (patch.sizeChart) {
        const sizes = await trx
          .selectFrom('skus')
          .select('size')
          .where('product_id', '=', productId)
          .execute();
        checkChartMatchesSizes(
          patch.sizeChart,
          sizes.map((s) => s.size),
        );
      }
      const set: Partial<{
        title: string;
        description: string;
        images: string;
        status: ProductStatus;
        brand: string;
        size_chart: string | null;
        fit_type: CatalogTables['products']['fit_type'];
        updated_at: Date;
      }> = { updated_at: this.deps.clock.now() };
      if (patch.title !== undefined) set.title = patch.title;
      if (patch.description !== undefined) set.description = patch.description;
      if (patch.images !== undefined) set.images = JSON.stringify(patch.images);
      if (patch.status !== undefined) set.status = patch.status;
      if (patch.brand !== undefined) set.brand = patch.brand;
      if (patch.sizeChart !== undefined)
        set.size_chart = patch.sizeChart ? JSON.stringify(patch.sizeChart) : null;
      if (patch.fitType !== undefined) set.fit_type = patch.fitType;
      await trx.updateTable('products').set(set).where('id', '=', productId).execute();
    });
    return this.merchantProduct(actor, productId);
  }

  /**
   * Sets a SKU's price and/or stock. A price change writes price history in the same transaction,
   * so price protection can always see what the buyer paid before.
   */
  async updateSku(actor: Actor, productId: string, skuId: string, patch: SkuPatch): Promise<ProductDetail> {
    const storeId = merchantStoreId(actor);
    const checked = skuPatchSchema.safeParse(patch);
    if (!checked.success) throw new AppError(400, 'validation_failed', 'The SKU change is not valid');
    const now = this.deps.clock.now();
    await this.db.transaction().execute(async (trx) => {
      await this.lockOwnProduct(trx, storeId, productId);
      const sku = await trx
        .selectFrom('skus')
        .select(['id', 'price_fen'])
        .where('id', '=', skuId)
        .where('product_id', '=', productId)
        .forUpdate()
        .executeTakeFirst();
      if (!sku) throw notFound('SKU');
      const set: { price_fen?: number; stock?: number } = {};
      if (patch.priceFen !== undefined) set.price_fen = patch.priceFen;
      if (patch.stock !== undefined) set.stock = patch.stock;
      await trx.updateTable('skus').set(set).where('id', '=', skuId).execute();
      if (patch.priceFen !== undefined && patch.priceFen !== sku.price_fen) {
        await recordPrices(trx, [{ skuId, priceFen: patch.priceFen }], now);
      }
      await trx.updateTable('products').set({ updated_at: now }).where('id', '=', productId).execute();
    });
    return this.merchantProduct(actor, productId);
  }

  /** Every product on the platform, for the ops console. */
  opsProducts(actor: Actor, status: ProductStatus | undefined, page: number, pageSize: number) {
    requireOperator(actor);
    return listProducts(this.deps.db, { status }, 'new', page, pageSize);
  }

  /** Stores a merchant's image upload (PNG/JPEG/WebP data URL, ≤ 2 MB). */
  async uploadImage(actor: Actor, dataUrl: string): Promise<{ url: string }> {
    merchantStoreId(actor);
    const saved = await saveImage(this.deps.dataDir, dataUrl);
    return { url: saved.url };
  }

  /** For the merchants module (store pages, ops list). */
  productCountsByStore = (storeIds: string[], onSaleOnly: boolean): Promise<Map<string, number>> =>
    productCountsByStore(this.deps.db, storeIds, onSaleOnly);

  private async lockOwnProduct(trx: Trx, storeId: string, productId: string) {
    const product = await trx
      .selectFrom('products')
      .select(['id', 'store_id', 'category_id'])
      .where('id', '=', productId)
      .forUpdate()
      .executeTakeFirst();
    // Another store's product answers exactly like a missing one: no probing other stores.
    if (!product || product.store_id !== storeId) throw notFound('Product');
    return product;
  }
}
