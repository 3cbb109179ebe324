import { defineModule } from '../../platform/module.ts';
import { mediaRoutes } from './media-routes.ts';
import { catalogRoutes } from './routes.ts';
import { salesCounterSubscribers } from './sales-counter.ts';
import { CatalogService } from './service.ts';

export { type CategoryNode, type CategoryTreeNode, categoryTree, productCategories } from './categories.ts';
export {
  type FeedProduct,
  type FeedProductCursor,
  feedProductPrices,
  feedProducts,
  feedProductsByIds,
} from './feed-items.ts';
export {
  likePattern,
  type Page,
  type ProductCard,
  type ProductSort,
  productCountsByStore,
} from './listing.ts';
export { MAX_UPLOAD_BYTES, saveImage } from './media.ts';
export type { ProductDetail, SkuView } from './product-view.ts';
export type { FitType, SizeChart, SizeZone } from './schema.ts';
export { SIZE_ZONES } from './schema.ts';
export type { CatalogDeps, CreatedProduct } from './service.ts';
export type { ApparelProduct, ProductSizingFacts } from './sizing-facts.ts';
export * from './stock.ts';
export type { ProductInput, ProductPatch, SkuInput, SkuPatch } from './validation.ts';
export { CatalogService, catalogRoutes, mediaRoutes };

declare module '../../platform/module.ts' {
  interface ServiceRegistry {
    catalog: CatalogService;
  }
}

/** Products, SKUs, stock, categories, media; counts sales from the orders' events. */
export const catalogModule = defineModule({
  name: 'catalog',
  build: ({ db, clock, config, events }) => ({
    catalog: new CatalogService({ db, clock, dataDir: config.dataDir, events }),
  }),
  routes: async ({ catalog }, { api, root }, { config }) => {
    await api.register(catalogRoutes(catalog));
    mediaRoutes(config.dataDir)(root); // GET /media/:file lives outside /api/v1
  },
  subscribers: (_services, { db }) => salesCounterSubscribers(db),
});
