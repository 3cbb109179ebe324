import { defineModule } from '../../platform/module.ts';
import { growthRoutes } from './routes.ts';
import { GrowthService } from './service.ts';

export { GrowthService, growthRoutes };

declare module '../../platform/module.ts' {
  interface ServiceRegistry {
    growth: GrowthService;
  }
}

/**
 * Merchant growth: the newbie village (商家新手村) checklist with its rewards, and incentive programmes as
 * data (the first-sale GMV incentive 首销GMV激励 among them) paid through the ledger within their budgets.
 */
export const growthModule = defineModule({
  name: 'growth',
  build: ({ db, clock }) => ({ growth: new GrowthService({ db, clock }) }),
  routes: async ({ growth }, { api }) => {
    await api.register(growthRoutes(growth));
  },
});
