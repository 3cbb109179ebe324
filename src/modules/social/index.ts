import { defineModule } from '../../platform/module.ts';
import { socialRoutes } from './routes.ts';
import { SocialService } from './service.ts';

export { FOLLOW_SOURCES, type FollowSource } from './api-schema.ts';
export type { PlanStore } from './service.ts';
export { SocialService, socialRoutes };

declare module '../../platform/module.ts' {
  interface ServiceRegistry {
    social: SocialService;
  }
}

/**
 * Private domain (私域): buyers follow stores, stores see their fans, the follow-store coupon for new
 * customers, fan-only coupons, fans told of new lives and videos, and the fan-growth plan (涨粉计划).
 */
export const socialModule = defineModule({
  name: 'social',
  build: ({ db, clock, events, use }) => {
    const merchants = use('merchants');
    return {
      social: new SocialService({
        db,
        clock,
        events,
        publicStore: (storeId) => merchants.publicStore(storeId),
      }),
    };
  },
  routes: async ({ social }, { api }) => {
    await api.register(socialRoutes(social));
  },
});
