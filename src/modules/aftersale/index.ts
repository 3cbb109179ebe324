import { defineModule } from '../../platform/module.ts';
import { aftersaleRoutes } from './routes.ts';
import { AftersaleService } from './service.ts';

export {
  AFTERSALE_REASONS,
  type AftersaleDeps,
  type AftersaleReason,
  type AftersaleStatus,
  type AftersaleView,
} from './service.ts';
export { AftersaleService, aftersaleRoutes };

declare module '../../platform/module.ts' {
  interface ServiceRegistry {
    aftersale: AftersaleService;
  }
}

/** After-sale requests on delivered order lines (published as `aftersale.requested`). */
export const aftersaleModule = defineModule({
  name: 'aftersale',
  build: ({ db, clock, events, use }) => ({
    aftersale: new AftersaleService({ db, clock, orders: use('orders'), events }),
  }),
  routes: async ({ aftersale }, { api }) => {
    await api.register(aftersaleRoutes(aftersale));
  },
});
