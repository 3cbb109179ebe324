import { subscriber } from '../../platform/events.ts';
import { defineModule } from '../../platform/module.ts';
import { paidOrderFacts } from '../orders/index.ts';
import { growthRoutes } from './routes.ts';
import { GrowthService } from './service.ts';
import { isGoodReview } from './village.ts';

export type { Incentive, Programme, ProgrammeInput } from './service.ts';
export { VILLAGE_STEPS, type Village, type VillageStep, type VillageStepKey } from './village.ts';
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
  build: ({ db, clock, log, use }) => ({
    growth: new GrowthService({
      db,
      clock,
      log,
      merchants: use('merchants'),
      catalog: use('catalog'),
      orders: use('orders'),
      paidOrders: (orderIds) => paidOrderFacts(db, orderIds),
      videos: use('videos'),
      live: use('live'),
      traffic: use('traffic'),
      ledger: use('ledger'),
    }),
  }),
  routes: async ({ growth }, { api }) => {
    await api.register(growthRoutes(growth));
  },
  subscribers: ({ growth }) => [
    subscriber('growth.first-order', 'order.paid', (e) => growth.orderPaid(e)),
    subscriber('growth.net-cancelled', 'order.cancelled', async (e) => {
      if (e.wasPaid) await growth.orderRefundedInFull(e.orderId);
    }),
    subscriber('growth.net-refunded', 'order.refunded', (e) => growth.orderRefundedInFull(e.orderId)),
    subscriber('growth.net-refunds', 'aftersale.refunded', (e) => growth.aftersaleRefunded(e)),
    subscriber('growth.good-review', 'review.created', async (e) => {
      if (isGoodReview(e)) await growth.goodReview(e);
    }),
    subscriber('growth.first-video', 'video.published', async (e) => {
      await growth.markStep(e.storeId, 'first_video');
    }),
    // A live that happened, not one scheduled (scheduling then cancelling earns nothing).
    subscriber('growth.first-live', 'live.started', async (e) => {
      await growth.markStep(e.storeId, 'first_live', new Date(e.startedAt));
    }),
  ],
  tasks: ({ growth }) => [
    // Steps other modules know without an event (profile, products, size charts, shipments).
    {
      name: 'growth.village-check',
      intervalMs: 5 * 60_000,
      exclusive: true,
      run: () => growth.checkNewStores(),
    },
    // Incentives whose period ended are paid through the ledger.
    {
      name: 'growth.settle-incentives',
      intervalMs: 10 * 60_000,
      exclusive: true,
      drain: true,
      run: () => growth.settleDue(),
    },
  ],
});
