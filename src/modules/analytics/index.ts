import { defineModule } from '../../platform/module.ts';
import { productCategories } from '../catalog/index.ts';
import { paidOrderFacts } from '../orders/index.ts';
import { coldStartCoverageByMonth, storeTrafficByMonth } from '../traffic/index.ts';
import { analyticsRoutes } from './routes.ts';
import { AnalyticsService } from './service.ts';

export type { FanPlanSource } from './panels.ts';
export type { FanFact, OrderFact, OrderFactLine, RefundFact } from './rollup.ts';
export type { AnalyticsSources, PanelScope } from './service.ts';
export { AnalyticsService, analyticsRoutes };

declare module '../../platform/module.ts' {
  interface ServiceRegistry {
    analytics: AnalyticsService;
  }
}

/**
 * The platform's and each store's figures (docs/METRICS.md): facts and rollup tables kept current from
 * the events, read by the ops and merchant dashboards with month-on-month and year-on-year change.
 */
export const analyticsModule = defineModule({
  name: 'analytics',
  build: ({ db, clock, use }) => ({
    analytics: new AnalyticsService({
      db,
      clock,
      sources: {
        paidOrders: (orderIds) => paidOrderFacts(db, orderIds),
        productCategories: (productIds) => productCategories(db, productIds),
        coldStartCoverage: (first, last) => coldStartCoverageByMonth(db, first, last),
        storeTraffic: (storeId, first, last) => storeTrafficByMonth(db, storeId, first, last),
        fanPlans: use('social'),
      },
    }),
  }),
  routes: async ({ analytics }, { api }) => {
    await api.register(analyticsRoutes(analytics));
  },
  subscribers: ({ analytics }) => analytics.subscribers(),
});
