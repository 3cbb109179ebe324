import type { FastifyInstance } from 'fastify';
import { routeActor, routeStore, signedIn } from '../../platform/auth.ts';
import { errorResponse } from '../../platform/openapi.ts';
import { idParam, zodApi } from '../../platform/routes.ts';
import {
  fanPlanView,
  fansQuery,
  followBody,
  followState,
  merchantFans,
  myFollows,
  planSettingsSchema,
} from './api-schema.ts';
import type { SocialService } from './service.ts';

const tags = ['social'];
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
            200: followState,
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
