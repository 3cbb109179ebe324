import { defineModule } from '../../platform/module.ts';
import { opsRoutes } from './routes.ts';
import { OpsService } from './service.ts';

export type { Overview } from './service.ts';
export { OpsService };

declare module '../../platform/module.ts' {
  interface ServiceRegistry {
    ops: OpsService;
  }
}

/** The operators' overview, fed by the orders' events and the other modules' counts. */
export const opsModule = defineModule({
  name: 'ops',
  build: ({ db, use }) => {
    const identity = use('identity');
    const merchants = use('merchants');
    const catalog = use('catalog');
    return {
      ops: new OpsService({
        db,
        sources: {
          storeCount: () => merchants.storeCount(),
          buyerCount: () => identity.buyerCount(),
          productCount: () => catalog.productCount(),
        },
      }),
    };
  },
  routes: async ({ ops }, { api }) => {
    await api.register(opsRoutes(ops));
  },
  subscribers: ({ ops }) => ops.subscribers(),
});
