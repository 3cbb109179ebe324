import type { FastifyInstance } from 'fastify';
import { routeActor, routeStore, signedIn } from '../../platform/auth.ts';
import { errorResponse } from '../../platform/openapi.ts';
import { zodApi } from '../../platform/routes.ts';
import {
  coverageAnswer,
  daysQuery,
  feedEventAnswer,
  feedEventBody,
  feedPage,
  feedQuery,
  launchGrantAnswer,
  launchGrantBody,
  merchantTraffic,
  planStatus,
  planStoresAnswer,
  planUseAnswer,
  settingsAnswer,
} from './api-schema.ts';
import type { TrafficService } from './service.ts';
import { trafficSettingsSchema } from './settings.ts';

const tags = ['traffic'];
/** The anonymous viewer's id (a random UUID in a cookie), so their clicks can be matched to what they saw. */
export const VIEWER_COOKIE = 'gravity_viewer';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function trafficRoutes(traffic: TrafficService) {
  return async (fastify: FastifyInstance) => {
    const app = zodApi(fastify);

    app.get(
      '/feed',
      {
        schema: {
          tags,
          operationId: 'getFeed',
          summary:
            'A page of the feed for this buyer (signed in or anonymous); each item shown is an impression (counted when served). Anonymous pages are limited per client address and viewer (429 `rate_limited`)',
          querystring: feedQuery,
          response: {
            200: feedPage,
            429: errorResponse('Too many anonymous feed pages in a minute (`rate_limited`)'),
          },
        },
        // The hot path: the answer is built typed as `FeedPage` (the zod schema stays the contract and the
        // OpenAPI document; test/api/traffic.test.ts checks the answer against it), so it is written with
        // JSON.stringify instead of being re-validated by zod on every page.
        serializerCompiler: () => (data) => JSON.stringify(data),
      },
      async (req, reply) => {
        const viewer = viewerOf(req.actor, req.cookies[VIEWER_COOKIE]);
        if (!viewer.buyerId) await traffic.limitAnonymousFeed(req.ip, viewer.fresh ? null : viewer.anonId);
        if (!viewer.buyerId && viewer.fresh) {
          reply.setCookie(VIEWER_COOKIE, viewer.anonId as string, {
            path: '/',
            httpOnly: true,
            sameSite: 'lax',
            maxAge: 365 * 86_400,
          });
        }
        reply.header('cache-control', 'no-store');
        return traffic.feed(viewer, req.query);
      },
    );

    app.post(
      '/feed/events',
      {
        schema: {
          tags,
          operationId: 'postFeedEvent',
          summary: 'A click or add-to-cart on a feed impression (counted once per impression and kind)',
          body: feedEventBody,
          response: {
            200: feedEventAnswer,
            404: errorResponse('No such impression shown to this viewer (`not_found`)'),
          },
        },
      },
      async (req) => {
        const viewer = viewerOf(req.actor, req.cookies[VIEWER_COOKIE]);
        return traffic.recordEvent(viewer, req.body);
      },
    );

    app.get(
      '/merchant/traffic',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'getMerchantTraffic',
          summary:
            "My store's feed traffic per day and source: impressions, clicks, add-to-carts, orders, GMV",
          querystring: daysQuery,
          response: { 200: merchantTraffic },
        },
      },
      async (req) => traffic.merchantTraffic(routeStore(req).storeId, req.query.days),
    );

    app.get(
      '/merchant/traffic/plans',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'getMerchantTrafficPlans',
          summary:
            "My store's traffic plans: cold-start minimum, launch credits and their pace, Fuyao status",
          response: { 200: planStatus },
        },
      },
      async (req) => traffic.planStatus(routeStore(req).storeId),
    );

    app.get(
      '/ops/traffic/settings',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'getTrafficSettings',
          summary: 'The traffic settings: new-store days, cold-start minimum, plan cap, launch and Fuyao',
          response: { 200: settingsAnswer },
        },
      },
      async () => traffic.settingsAnswer(),
    );

    app.put(
      '/ops/traffic/settings',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'putTrafficSettings',
          summary: 'Replace the traffic settings (the whole record, validated)',
          body: trafficSettingsSchema,
          response: { 200: settingsAnswer },
        },
      },
      async (req) => traffic.putSettings(routeActor(req), req.body),
    );

    app.get(
      '/ops/traffic/coverage',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'getTrafficCoverage',
          summary:
            'Cold-start coverage per day: new stores with a product on sale that reached their minimum',
          querystring: daysQuery,
          response: { 200: coverageAnswer },
        },
      },
      async (req) => traffic.coverage(req.query.days),
    );

    app.get(
      '/ops/traffic/plans',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'getTrafficPlanUse',
          summary: 'Budget use per plan and day, and the estimated GMV cost of each plan',
          querystring: daysQuery,
          response: { 200: planUseAnswer },
        },
      },
      async (req) => traffic.planUse(req.query.days),
    );

    app.get(
      '/ops/traffic/stores',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'listTrafficPlanStores',
          summary: "Stores in a plan today, with each contract's target and delivery",
          response: { 200: planStoresAnswer },
        },
      },
      async () => traffic.planStores(),
    );

    app.post(
      '/ops/traffic/launch-grants',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'grantLaunchCredits',
          summary: 'Grant launch-plan credits (impressions) to a store, spent over a period',
          body: launchGrantBody,
          response: {
            201: launchGrantAnswer,
            404: errorResponse('No such store (`not_found`)'),
            409: errorResponse(
              "The store's launch credits would exceed 100,000,000 impressions in all (`launch_credits_limit`)",
            ),
          },
        },
      },
      async (req, reply) => reply.status(201).send(await traffic.grantLaunch(routeActor(req), req.body)),
    );
  };
}

export interface FeedViewer {
  buyerId: string | null;
  /** The anonymous cookie's id (also beside a signed-in buyer who has one: the two are linked). */
  anonId: string | null;
  /** The anonymous id was made for this request (the cookie is to be set). */
  fresh: boolean;
}

/** Who is looking: a signed-in buyer, or an anonymous viewer by their cookie (a new id when none). */
function viewerOf(actor: { accountId: string; role: string } | null, cookie: string | undefined): FeedViewer {
  // A signed-in buyer who browsed anonymously on this browser keeps the cookie's id beside theirs: the
  // service links the two, so what they were shown before signing in still counts as shown to them.
  if (actor?.role === 'buyer') {
    return { buyerId: actor.accountId, anonId: cookie && UUID.test(cookie) ? cookie : null, fresh: false };
  }
  if (cookie && UUID.test(cookie)) return { buyerId: null, anonId: cookie, fresh: false };
  return { buyerId: null, anonId: crypto.randomUUID(), fresh: true };
}
