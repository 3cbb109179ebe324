import type { Insertable, Transaction } from 'kysely';
import type { Actor } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import { AppError, conflict, forbidden, notFound, unprocessable } from '../../platform/errors.ts';
import type { Publisher } from '../../platform/events.ts';
import { newId } from '../../platform/ids.ts';
import type { KeysetQuery } from '../../platform/keyset.ts';
import { type PriceChange, recordPrices } from '../pricing/index.ts';
import { type CategoryTreeNode, categoryFacts, categoryTree } from './categories.ts';
import {
  listProducts,
  opsProductPage,
  type Page,
  type ProductCard,
  type ProductSort,
  productCountsByStore,
} from './listing.ts';
import { saveImage } from './media.ts';
import { checkChartMatchesSizes, checkProductRules } from './product-rules.ts';
import { loadProductDetails, type ProductDetail } from './product-view.ts';
import type { ProductStatus } from './schema.ts';
import {
  type ApparelProduct,
  apparelProductIds,
  type ProductSizingFacts,
  productSizingFacts,
  storeApparelProducts,
} from './sizing-facts.ts';
import {
  changeStock,
  logInitialStock,
  type StockChange,
  type StockLevels,
  stockHistory,
} from './stock-levels.ts';
import type { CatalogDb, CatalogTables } from './tables.ts';
import {
  type AddSkusInput,
  addSkusSchema,
  type ProductInput,
  type ProductPatch,
  productInputSchema,
  type SkuPatch,
  skuPatchSchema,
  stockChangeSchema,
} from './validation.ts';

export interface CatalogDeps {
  db: CatalogDb;
  clock: Clock;
  /** Uploaded images live under `<dataDir>/media`. */
  dataDir: string;
  /** Where a SKU's price change is published (`price.changed`, by pricing's `recordPrices`). */
  events?: Publisher;
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
  private readonly db: CatalogDb;
  constructor(private readonly deps: CatalogDeps) {
    this.db = deps.db;
  }

  /** How many products there are (the ops overview). */
  async productCount(): Promise<number> {
    const r = await this.db
      .selectFrom('products')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    return Number(r?.n ?? 0);
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
    return listProducts(
      this.deps.db,
      { ...filter, status: 'on_sale', openStoresOnly: true },
      sort,
      page,
      pageSize,
      this.deps.clock.now(),
    );
  }

  /**
   * The public product page; an off-sale product still shows (with its status) for old links, a
   * product of a suspended store is not found.
   */
  async productDetail(productId: string, buyerId: string | null = null): Promise<ProductDetail> {
    const product = (
      await loadProductDetails(this.deps.db, [productId], {
        openStoresOnly: true,
        price: { buyerId, at: this.deps.clock.now() },
      })
    ).get(productId);
    if (!product) throw notFound('Product');
    return product;
  }

  /** Products of the merchant's own store, any status unless asked. */
  merchantProducts(actor: Actor, status: ProductStatus | undefined, page: number, pageSize: number) {
    const storeId = merchantStoreId(actor);
    return listProducts(this.deps.db, { storeId, status }, 'new', page, pageSize, this.deps.clock.now());
  }

  /** One of the merchant's own products; another store's product is "not found". */
  async merchantProduct(actor: Actor, productId: string): Promise<ProductDetail> {
    const storeId = merchantStoreId(actor);
    const product = (
      await loadProductDetails(this.deps.db, [productId], {
        inventory: true,
        price: { buyerId: null, at: this.deps.clock.now() },
      })
    ).get(productId);
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
    const skuRows: Insertable<CatalogTables['skus']>[] = [];
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
        prices.push({ skuId, storeId, priceFen: s.priceFen });
      });
      created.push({ id, skuIds });
    }
    await this.db.transaction().execute(async (trx) => {
      for (const rows of chunks(productRows, INSERT_CHUNK))
        await trx.insertInto('products').values(rows).execute();
      for (const rows of chunks(skuRows, INSERT_CHUNK)) await trx.insertInto('skus').values(rows).execute();
      for (const rows of chunks(prices, INSERT_CHUNK)) await recordPrices(trx, rows, now, { initial: true });
      const initial = skuRows.map((r) => ({ skuId: r.id, stock: r.stock }));
      for (const rows of chunks(initial, INSERT_CHUNK))
        await logInitialStock(trx, rows, { actor: `merchant:${actor.accountId}`, at: now });
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
   * Sets a SKU's price. A price change writes price history in the same transaction, so price
   * protection can always see what the buyer paid before. (Stock changes go through `changeSkuStock`.)
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
      if (checked.data.priceFen !== sku.price_fen) {
        await trx
          .updateTable('skus')
          .set({ price_fen: checked.data.priceFen })
          .where('id', '=', skuId)
          .execute();
        await recordPrices(trx, [{ skuId, storeId, priceFen: checked.data.priceFen }], now, {
          events: this.deps.events,
        });
      }
      await trx.updateTable('products').set({ updated_at: now }).where('id', '=', productId).execute();
    });
    return this.merchantProduct(actor, productId);
  }

  /** A SKU of the merchant's own product: on hand, reserved, sellable, and its movements, newest first. */
  async skuStock(actor: Actor, productId: string, skuId: string, page: number, pageSize: number) {
    const storeId = merchantStoreId(actor);
    await this.ownSku(this.db, storeId, productId, skuId);
    return stockHistory(this.deps.db, skuId, page, pageSize);
  }

  /**
   * A merchant's change of a SKU's stock: `{ adjust, reason }` or `{ set, expectedVersion }` (409
   * `stale_stock` when stock moved since it was read). Logged in the stock-movement log.
   */
  async changeSkuStock(
    actor: Actor,
    productId: string,
    skuId: string,
    change: StockChange,
    idempotencyKey?: string,
  ): Promise<{ stock: StockLevels }> {
    const storeId = merchantStoreId(actor);
    const checked = stockChangeSchema.safeParse(change);
    if (!checked.success) throw new AppError(400, 'validation_failed', 'The stock change is not valid');
    const now = this.deps.clock.now();
    const stock = await this.db.transaction().execute(async (trx) => {
      await this.ownSku(trx, storeId, productId, skuId);
      return changeStock(
        trx,
        skuId,
        checked.data,
        { actor: `merchant:${actor.accountId}`, at: now, reason: checked.data.reason ?? '' },
        idempotencyKey,
      );
    });
    return { stock };
  }

  /**
   * Adds SKUs (size × colour) to the merchant's own product, keeping the product's rules: each new
   * SKU gets its first price-history row and an initial stock movement, like at creation; a size ×
   * colour the product already sells is a 409. New sizes of a garment with a size chart need
   * `sizeChart` (the whole chart, replacing it).
   */
  async addSkus(actor: Actor, productId: string, input: AddSkusInput): Promise<ProductDetail> {
    const storeId = merchantStoreId(actor);
    const parsed = addSkusSchema.safeParse(input);
    if (!parsed.success) throw new AppError(400, 'validation_failed', 'The SKUs are not valid');
    const { skus, sizeChart } = parsed.data;
    const now = this.deps.clock.now();
    await this.db.transaction().execute(async (trx) => {
      const product = await this.lockOwnProduct(trx, storeId, productId);
      const existing = await trx
        .selectFrom('skus')
        .select(['size', 'color', 'position'])
        .where('product_id', '=', productId)
        .execute();
      const key = (s: { size: string; color: string }) => `${s.size}\u0001${s.color}`;
      const taken = new Set(existing.map(key));
      const duplicates: Array<{ size: string; color: string }> = [];
      for (const s of skus) {
        if (taken.has(key(s))) duplicates.push({ size: s.size, color: s.color });
        taken.add(key(s));
      }
      if (duplicates.length > 0) {
        throw conflict('duplicate_sku', 'The product already sells this size × colour', { duplicates });
      }
      if (existing.length + skus.length > 200) {
        throw unprocessable('too_many_skus', 'A product has at most 200 SKUs');
      }
      const category = await categoryFacts(trx, product.category_id);
      if (!category) throw unprocessable('unknown_category', 'No such category');
      const all = [...existing, ...skus];
      const chart = sizeChart === undefined ? product.size_chart : sizeChart;
      checkProductRules(category, { sizeChart: chart, fitType: null, skus: all });
      let position = existing.reduce((max, s) => Math.max(max, s.position), -1);
      const rows = skus.map((s) => {
        position += 1;
        return {
          id: newId(),
          product_id: productId,
          size: s.size,
          color: s.color,
          price_fen: s.priceFen,
          stock: s.stock,
          position,
        };
      });
      await trx.insertInto('skus').values(rows).execute();
      await recordPrices(
        trx,
        rows.map((r) => ({ skuId: r.id, storeId, priceFen: r.price_fen })),
        now,
        { initial: true },
      );
      await logInitialStock(
        trx,
        rows.map((r) => ({ skuId: r.id, stock: r.stock })),
        { actor: `merchant:${actor.accountId}`, at: now, reason: 'sku_added' },
      );
      await trx
        .updateTable('products')
        .set({
          updated_at: now,
          ...(sizeChart !== undefined ? { size_chart: sizeChart ? JSON.stringify(sizeChart) : null } : {}),
        })
        .where('id', '=', productId)
        .execute();
    });
    return this.merchantProduct(actor, productId);
  }

  /** Every product on the platform, for the ops console. */
  opsProducts(actor: Actor, status: ProductStatus | undefined, query: KeysetQuery) {
    requireOperator(actor);
    return opsProductPage(this.deps.db, status, query, this.deps.clock.now());
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

  /** For the newbie village: which of these stores have a product with a size chart. */
  async storesWithSizeChart(storeIds: string[]): Promise<Set<string>> {
    if (storeIds.length === 0) return new Set();
    const rows = await this.deps.db
      .selectFrom('products')
      .select('store_id')
      .distinct()
      .where('store_id', 'in', storeIds)
      .where('size_chart', 'is not', null)
      .execute();
    return new Set(rows.map((r) => r.store_id));
  }

  /** For the size assistant's merchant insights: the store's apparel products, newest first. */
  storeApparelProducts = (storeId: string, limit: number): Promise<ApparelProduct[]> =>
    storeApparelProducts(this.deps.db, storeId, limit);

  /** For the size assistant's metrics: which of these products are apparel. */
  apparelProductIds = (productIds: string[]): Promise<Set<string>> =>
    apparelProductIds(this.deps.db, productIds);

  /** 404 unless the SKU belongs to this product of this store (another store's answers the same). */
  private async ownSku(db: CatalogDb, storeId: string, productId: string, skuId: string) {
    const found = await db
      .selectFrom('skus as s')
      .innerJoin('products as p', 'p.id', 's.product_id')
      .select('s.id')
      .where('s.id', '=', skuId)
      .where('p.id', '=', productId)
      .where('p.store_id', '=', storeId)
      .executeTakeFirst();
    if (!found) throw notFound('SKU');
  }

  private async lockOwnProduct(trx: Trx, storeId: string, productId: string) {
    const product = await trx
      .selectFrom('products')
      .select(['id', 'store_id', 'category_id', 'size_chart'])
      .where('id', '=', productId)
      .forUpdate()
      .executeTakeFirst();
    // Another store's product answers exactly like a missing one: no probing other stores.
    if (!product || product.store_id !== storeId) throw notFound('Product');
    return product;
  }
}
