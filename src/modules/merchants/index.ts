export type { StoreCounter } from './order-counts.ts';
export { merchantsRoutes } from './routes.ts';
export type { BusinessType } from './schema.ts';
export {
  type MerchantsDeps,
  MerchantsService,
  type OpenStoreInput,
  type PublicStore,
  type StoreProfile,
} from './service.ts';
export { type StoreSummary, storeIsOpen, storeSummaries, storesOwnedBy } from './store-lookup.ts';
export { chinaPhone, imageUrl } from './validation.ts';
