export { type CategoryNode, type CategoryTreeNode, categoryTree } from './categories.ts';
export {
  likePattern,
  type Page,
  type ProductCard,
  type ProductSort,
  productCountsByStore,
} from './listing.ts';
export { mediaRoutes } from './media-routes.ts';
export type { ProductDetail, SkuView } from './product-view.ts';
export { catalogRoutes } from './routes.ts';
export type { FitType, SizeChart, SizeZone } from './schema.ts';
export { SIZE_ZONES } from './schema.ts';
export { type CatalogDeps, CatalogService, type CreatedProduct } from './service.ts';
export type { ApparelProduct, ProductSizingFacts } from './sizing-facts.ts';
export * from './stock.ts';
export type { ProductInput, ProductPatch, SkuInput, SkuPatch } from './validation.ts';
