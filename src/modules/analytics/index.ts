import { defineModule } from '../../platform/module.ts';
import { analyticsRoutes } from './routes.ts';
import { AnalyticsService } from './service.ts';

export type { FanFact, OrderFact, OrderFactLine, RefundFact } from './rollup.ts';
export { AnalyticsService, analyticsRoutes };

declare module '../../platform/module.ts' {
  interface ServiceRegistry {
    analytics: AnalyticsService;
  }
}

/**
 * The platform's and each store's figures (docs/METRICS.md): rollup tables kept current from the events,
 * read by the ops and merchant dashboards with month-on-month and year-on-year change.
 */
export const analyticsModule = defineModule({
  name: 'analytics',
  build: ({ db, clock }) => ({ analytics: new AnalyticsService({ db, clock }) }),
  routes: async ({ analytics }, { api }) => {
    await api.register(analyticsRoutes(analytics));
  },
});
