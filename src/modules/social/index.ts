import { subscriber } from '../../platform/events.ts';
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
    const inbox = use('inbox');
    const traffic = use('traffic');
    const pricing = use('pricing');
    return {
      social: new SocialService({
        db,
        clock,
        events,
        publicStore: (storeId) => merchants.publicStore(storeId),
        isOwnersAccount: (storeId, accountId) => merchants.isOwnersAccount(storeId, accountId),
        notify: (trx, input) => inbox.notify(trx, input),
        grantFollowCoupons: (trx, input) => pricing.grantFollowCoupons(trx, input),
        claimFanCoupon: (input) => pricing.claimFanCoupon(input),
        fanCoupons: (storeId) => pricing.fanCoupons(storeId),
        setFanGrowthBoost: (storeId, day, impressions) =>
          traffic.setFanGrowthBoost(storeId, day, impressions),
      }),
    };
  },
  routes: async ({ social }, { api }) => {
    await api.register(socialRoutes(social));
  },
  subscribers: ({ social }) => [
    subscriber('social.notify-fans-live', 'live.scheduled', async (p) => {
      await social.notifyFansOfLive(p);
    }),
    subscriber('social.notify-fans-video', 'video.published', async (p) => {
      await social.notifyFansOfVideo(p);
    }),
  ],
  // The fan-growth plan's daily boosts (idempotent: today's boost is set again, one process at a time).
  tasks: ({ social }) => [
    {
      name: 'social.fan-plan-boosts',
      intervalMs: 600_000,
      runAtStart: true,
      exclusive: true,
      run: () => social.boostPlanStores(),
    },
  ],
});
