import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { routeActor, signedIn } from '../../platform/auth.ts';
import { errorResponse } from '../../platform/openapi.ts';
import { idParam, zodApi } from '../../platform/routes.ts';
import { singleLineText } from '../../platform/text.ts';
import {
  couponAnswer,
  couponKind,
  couponList,
  myCouponAnswer,
  myCouponList,
  priceHistorySchema,
  quoteAnswer,
  subsidyAnswer,
  subsidyList,
} from './api-schema.ts';
import type { PricingService } from './service.ts';

const tags = ['pricing'];
const MAX_FEN = 100_000_000;

const quoteBody = z
  .object({
    lines: z
      .array(z.object({ skuId: z.uuid(), quantity: z.number().int().min(1).max(999) }).strict())
      .min(1)
      .max(100),
    couponIds: z
      .array(z.uuid())
      .max(10)
      .optional()
      .meta({ description: 'Exactly these coupons (`[]`: none); omitted: the best combination' }),
    channel: z.enum(['standard', 'live', 'flash']).optional(),
  })
  .strict();

const couponBody = z
  .object({
    kind: couponKind,
    title: singleLineText({ min: 1, max: 40 }),
    discountFen: z.number().int().min(1).max(MAX_FEN),
    thresholdFen: z.number().int().min(0).max(MAX_FEN).optional(),
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime(),
    perBuyerLimit: z.number().int().min(1).max(100).optional(),
    totalQuantity: z.number().int().min(1).max(10_000_000),
    autoClaim: z.boolean().optional(),
  })
  .strict();

const subsidyBody = z
  .object({
    title: singleLineText({ min: 1, max: 40 }),
    totalFen: z.number().int().min(1).max(10_000_000_000),
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime(),
    skus: z
      .array(
        z
          .object({
            skuId: z.uuid(),
            fenPerUnit: z.number().int().min(1).max(MAX_FEN),
            capUnits: z.number().int().min(1).max(10_000_000),
          })
          .strict(),
      )
      .min(1)
      .max(200),
  })
  .strict();

export function pricingRoutes(pricing: PricingService) {
  return async (fastify: FastifyInstance) => {
    const app = zodApi(fastify);

    app.post(
      '/quote',
      {
        schema: {
          tags,
          operationId: 'quotePrice',
          summary: 'What these items cost me now (到手价): list price, subsidy, the best coupons, per line',
          body: quoteBody,
          response: {
            200: quoteAnswer,
            422: errorResponse(
              'A SKU is unknown (`unknown_sku`), a coupon asked for cannot be used (`coupon_not_applicable`), or two cannot stack (`coupons_not_stackable`)',
            ),
          },
        },
      },
      async (req) => pricing.quote(req.actor, req.body),
    );

    app.get(
      '/coupons',
      {
        schema: {
          tags,
          operationId: 'listClaimableCoupons',
          summary:
            "Coupons I can claim now: a store's (with `storeId`) and the platform's; a store's fan coupons are listed by `/stores/{id}/fan-coupons`",
          querystring: z.object({ storeId: z.uuid().optional() }).strict(),
          response: { 200: couponList },
        },
      },
      async (req) => pricing.claimable(req.query.storeId),
    );

    app.get(
      '/coupons/mine',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'listMyCoupons',
          summary: 'My claimed coupons',
          response: { 200: myCouponList },
        },
      },
      async (req) => pricing.myCoupons(routeActor(req)),
    );

    app.post(
      '/coupons/:id/claim',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'claimCoupon',
          summary: 'Claim a coupon',
          params: idParam,
          response: {
            201: myCouponAnswer,
            403: errorResponse(
              'A follow-store or fan-only coupon: got by following the store or claimed as its fan (`coupon_for_fans`)',
            ),
            404: errorResponse('No such coupon on offer (`not_found`)'),
            409: errorResponse(
              'Not yet claimable (`coupon_not_started`), expired (`coupon_expired`), all claimed (`coupon_sold_out`), claimed as often as allowed (`coupon_limit_reached`), or for new customers only (`coupon_new_customers_only`)',
            ),
          },
        },
      },
      async (req, reply) => reply.status(201).send(await pricing.claim(routeActor(req), req.params.id)),
    );

    app.get(
      '/skus/:id/price-history',
      {
        schema: {
          tags,
          operationId: 'getSkuPriceHistory',
          summary: "A SKU's prices with when, why and who funded each change, newest first",
          params: idParam,
          response: { 200: priceHistorySchema },
        },
      },
      async (req) => pricing.history(req.params.id),
    );

    for (const [who, prefix, role] of [
      ['Merchant', '/merchant', 'merchant'],
      ['Ops', '/ops', 'operator'],
    ] as const) {
      app.post(
        `${prefix}/coupons`,
        {
          config: signedIn(role),
          schema: {
            tags,
            operationId: `create${who}Coupon`,
            summary:
              role === 'merchant'
                ? 'Create a store coupon or a follow-store coupon for new customers (merchant-funded)'
                : 'Create a platform coupon (platform-funded)',
            body: couponBody,
            response: {
              201: couponAnswer,
              422: errorResponse(
                'Wrong kind for me (`coupon_kind_not_allowed`), a threshold not above the amount (`coupon_threshold_too_low`), or a bad window (`invalid_window`)',
              ),
            },
          },
        },
        async (req, reply) => reply.status(201).send(await pricing.createCoupon(routeActor(req), req.body)),
      );
      app.get(
        `${prefix}/coupons`,
        {
          config: signedIn(role),
          schema: {
            tags,
            operationId: `list${who}Coupons`,
            summary: role === 'merchant' ? "My store's coupons" : 'The platform coupons',
            response: { 200: couponList },
          },
        },
        async (req) => pricing.listCoupons(routeActor(req)),
      );
      app.post(
        `${prefix}/coupons/:id/stop`,
        {
          config: signedIn(role),
          schema: {
            tags,
            operationId: `stop${who}Coupon`,
            summary: 'Stop a coupon: no more claims or uses',
            params: idParam,
            response: { 200: couponAnswer, 404: errorResponse('No such coupon of mine (`not_found`)') },
          },
        },
        async (req) => pricing.stopCoupon(routeActor(req), req.params.id),
      );
    }

    app.post(
      '/ops/subsidies',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'createSubsidy',
          summary:
            'Create a low-price subsidy (低价商品补贴): a budget, its window, fen per unit and a cap per SKU',
          body: subsidyBody,
          response: {
            201: subsidyAnswer,
            422: errorResponse(
              'A SKU is unknown (`unknown_sku`) or listed twice (`duplicate_sku`), a subsidy not below the price (`subsidy_exceeds_price`), or a bad window (`invalid_window`)',
            ),
          },
        },
      },
      async (req, reply) => reply.status(201).send(await pricing.createSubsidy(routeActor(req), req.body)),
    );
    app.get(
      '/ops/subsidies',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'listSubsidies',
          summary: 'The subsidy budgets',
          response: { 200: subsidyList },
        },
      },
      async () => pricing.listSubsidies(),
    );
    app.post(
      '/ops/subsidies/:id/stop',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'stopSubsidy',
          summary: "Stop a subsidy at once (its SKUs' prices go back up)",
          params: idParam,
          response: { 200: subsidyAnswer, 404: errorResponse('No such subsidy (`not_found`)') },
        },
      },
      async (req) => pricing.stopSubsidy(req.params.id),
    );
  };
}
