import { defineModule } from '../../platform/module.ts';
import { experienceInputSources } from './experience-inputs.ts';
import { experienceRoutes } from './experience-routes.ts';
import { orderCountSubscribers } from './order-counts.ts';
import { merchantsRoutes } from './routes.ts';
import { MerchantsService } from './service.ts';

export { seedExperienceScores } from './experience-seed.ts';
export type { ExperienceScore } from './experience-service.ts';
export type { StoreCounter } from './order-counts.ts';
export type { BusinessType } from './schema.ts';
export type { MerchantsDeps, OpenStoreInput, PublicStore, StoreProfile } from './service.ts';
export { storesOpenedSince } from './store-ages.ts';
export {
  type StoreSummary,
  staffStoreOf,
  storeIsOpen,
  storeSummaries,
  storesOwnedBy,
} from './store-lookup.ts';
export { chinaPhone, imageUrl } from './validation.ts';
export { MerchantsService, merchantsRoutes };

declare module '../../platform/module.ts' {
  interface ServiceRegistry {
    merchants: MerchantsService;
  }
}

/** Stores and their staff; counts each store's orders from `order.placed`. */
export const merchantsModule = defineModule({
  name: 'merchants',
  build: ({ db, clock, use }) => ({
    merchants: new MerchantsService({
      db,
      clock,
      productCounts: use('catalog').productCountsByStore,
      accountPhones: use('identity').accountPhones,
      accountChanged: use('identity').accountChanged,
      experienceInputs: () => experienceInputSources(db),
    }),
  }),
  routes: async ({ merchants }, { api }) => {
    await api.register(merchantsRoutes(merchants));
    await api.register(experienceRoutes(merchants));
  },
  subscribers: (_services, { db }) => orderCountSubscribers(db),
  // The store experience score: today's (Asia/Shanghai) scores, once the day has none yet.
  tasks: ({ merchants }) => [
    {
      name: 'merchants.experience-scores',
      intervalMs: 600_000,
      runAtStart: true,
      exclusive: true,
      run: () => merchants.experience.computeDue(),
    },
  ],
});
