import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { routeActor, routeStore, signedIn } from '../../platform/auth.ts';
import { errorResponse } from '../../platform/openapi.ts';
import { idParam, zodApi } from '../../platform/routes.ts';
import { couponList, myCouponAnswer } from '../pricing/index.ts';
import {
  fanPlanView,
  fansQuery,
  followAnswer,
  followBody,
  followState,
  merchantFans,
  myFollows,
  planSettingsSchema,
  planStoreList,
} from './api-schema.ts';
import type { SocialService } from './service.ts';

const tags = ['social'];
const fanCouponParams = z.object({ id: z.uuid(), couponId: z.uuid() });
const noStore = errorResponse('No such open store (`not_found`)');

/** Following stores (buyers), fan counts (anyone). */
export function socialRoutes(social: SocialService) {
  return async (fastify: FastifyInstance) => {
    const app = zodApi(fastify);

    app.put(
      '/stores/:id/follow',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'followStore',
          summary: 'Follow a store, saying from where; following again changes nothing',
          params: idParam,
          body: followBody,
          response: {
            200: followAnswer,
            404: noStore,
            409: errorResponse(
              "The store is the caller's own (`own_store`): owners do not follow their store",
            ),
          },
        },
      },
      async (req) => social.follow(routeActor(req), req.params.id, req.body.source),
    );

    app.delete(
      '/stores/:id/follow',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'unfollowStore',
          summary: 'Stop following a store; not following already changes nothing',
          params: idParam,
          response: { 200: followState },
        },
      },
      async (req) => social.unfollow(routeActor(req), req.params.id),
    );

    app.get(
      '/stores/:id/follow',
      {
        schema: {
          tags,
          operationId: 'getStoreFollow',
          summary: 'Whether I follow the store, and its fan count (anyone: the count alone when not a buyer)',
          params: idParam,
          response: { 200: followState, 404: noStore },
        },
      },
      async (req) => social.followState(req.actor, req.params.id),
    );

    app.get(
      '/stores/:id/fan-coupons',
      {
        schema: {
          tags,
          operationId: 'listStoreFanCoupons',
          summary:
            "The store's follow-store coupons (granted on following, to new customers) and fan-only coupons (claimed by its fans) on offer now",
          params: idParam,
          response: { 200: couponList, 404: noStore },
        },
      },
      async (req) => social.storeFanCoupons(req.params.id),
    );

    app.post(
      '/stores/:id/fan-coupons/:couponId/claim',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'claimStoreFanCoupon',
          summary: "Claim one of the store's fan-only coupons (粉丝专享券), as a buyer who follows the store",
          params: fanCouponParams,
          response: {
            201: myCouponAnswer,
            403: errorResponse('Not following the store (`not_a_fan`)'),
            404: errorResponse('No such open store, or no such fan coupon of it on offer (`not_found`)'),
            409: errorResponse(
              'Not yet claimable (`coupon_not_started`), expired (`coupon_expired`), all claimed (`coupon_sold_out`), or claimed already (`coupon_limit_reached`)',
            ),
          },
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(await social.claimFanCoupon(routeActor(req), req.params.id, req.params.couponId)),
    );

    app.get(
      '/me/follows',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'listMyFollows',
          summary: 'The stores I follow, newest first',
          response: { 200: myFollows },
        },
      },
      async (req) => social.myFollows(routeActor(req)),
    );

    // ---- merchant ----

    app.get(
      '/merchant/fans',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'getMyFans',
          summary:
            "My store's fans: total, a daily series, new fans by source, unfollows, the latest fans, the fan-growth plan",
          querystring: fansQuery,
          response: { 200: merchantFans },
        },
      },
      async (req) => social.merchantFans(routeStore(req), req.query.days),
    );

    app.post(
      '/merchant/fans/plan',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'enrollMyStoreInFanPlan',
          summary: 'Enroll my (new) store in the fan-growth plan (涨粉计划): the start is my fans now',
          response: {
            201: fanPlanView,
            409: errorResponse(
              'The store is not new enough (`fan_plan_not_eligible`) or already enrolled (`fan_plan_enrolled`)',
            ),
          },
        },
      },
      async (req, reply) => reply.status(201).send(await social.enroll(routeStore(req))),
    );

    // ---- operator ----

    app.get(
      '/ops/fan-plan/settings',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'getFanPlanSettings',
          summary: "The fan-growth plan's terms",
          response: { 200: planSettingsSchema },
        },
      },
      async () => social.planSettings(),
    );

    app.put(
      '/ops/fan-plan/settings',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'setFanPlanSettings',
          summary: "Set the fan-growth plan's terms (for enrolments from now on)",
          body: planSettingsSchema,
          response: { 200: planSettingsSchema },
        },
      },
      async (req) => social.setPlanSettings(routeActor(req), req.body),
    );

    app.get(
      '/ops/fan-plan/stores',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'listFanPlanStores',
          summary:
            'The stores in the fan-growth plan (newest enrolment first, at most 200) and where each stands today',
          response: { 200: planStoreList },
        },
      },
      async (req) => ({ items: await social.planStoreViews(routeActor(req)) }),
    );

    app.post(
      '/ops/fan-plan/stores/:id',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'enrollStoreInFanPlan',
          summary: 'Enroll a new store in the fan-growth plan',
          params: idParam,
          response: {
            201: fanPlanView,
            404: noStore,
            409: errorResponse(
              'The store is not new enough (`fan_plan_not_eligible`) or already enrolled (`fan_plan_enrolled`)',
            ),
          },
        },
      },
      async (req, reply) => reply.status(201).send(await social.enroll(routeActor(req), req.params.id)),
    );
  };
}
