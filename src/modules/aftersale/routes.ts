import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { routeActor, routeStore, signedIn } from '../../platform/auth.ts';
import { errorResponse } from '../../platform/openapi.ts';
import { idempotencyHeaders, idParam, zodApi } from '../../platform/routes.ts';
import { multiLineText, singleLineText } from '../../platform/text.ts';
import { CARRIERS } from '../orders/index.ts';
import {
  aftersaleAnswer,
  aftersaleDetail,
  aftersaleList,
  aftersalePolicyAnswer,
  storeAftersaleSettings,
} from './api-schema.ts';
import { AFTERSALE_KINDS } from './auto-approval.ts';
import { aftersalePolicy } from './policy.ts';
import type { AftersaleService } from './service.ts';
import { AFTERSALE_REASONS, AFTERSALE_STATUSES } from './states.ts';

const tags = ['aftersale'];
/** Money-moving actions accept an Idempotency-Key (optional): a retry gets the first answer. */
const optionalKey = idempotencyHeaders.partial();
const replayed =
  ' Idempotent-Replayed: true when a retry with the same Idempotency-Key got the first answer.';
const keyMisused =
  'the Idempotency-Key was used for another request (`idempotency_key_reused`) or is in use (`idempotency_key_busy`)';

const requestBody = z
  .object({
    orderId: z.uuid(),
    skuId: z.uuid(),
    kind: z
      .enum(AFTERSALE_KINDS)
      .optional()
      .meta({ description: 'refund_only (退款不退货), return_refund (default), exchange' }),
    reason: z.enum(AFTERSALE_REASONS),
    quantity: z
      .number()
      .int()
      .min(1)
      .max(99)
      .optional()
      .meta({ description: 'Default: all units not yet refunded' }),
    amountFen: z
      .number()
      .int()
      .min(1)
      .max(100_000_000)
      .optional()
      .meta({ description: 'Default: what was paid for those units, less what was refunded' }),
    exchangeSkuId: z.uuid().optional().meta({ description: 'Exchange: the size/colour wanted instead' }),
    note: multiLineText({ max: 500 }).optional(),
  })
  .strict();

const parcelBody = z
  .object({
    carrier: z.enum(CARRIERS),
    trackingNo: singleLineText({ min: 4, max: 40 }).regex(
      /^[A-Za-z0-9-]{4,40}$/,
      'letters, digits and - only',
    ),
  })
  .strict();

const decisionBody = z
  .object({
    decision: z.enum(['approve', 'reject']),
    note: singleLineText({ max: 500 }).optional().meta({ description: 'Required to reject: why' }),
  })
  .strict();

const statusFilter = z
  .string()
  .max(200)
  .transform((s) => s.split(','))
  .pipe(z.array(z.enum(AFTERSALE_STATUSES)).min(1).max(AFTERSALE_STATUSES.length));

const notMine = errorResponse('No such request of mine (`not_found`)');
const wrongState = errorResponse('The request is not in a status that allows it (`aftersale_state`)');
const wrongStateOrKey = errorResponse(
  `The request is not in a status that allows it (\`aftersale_state\`), or ${keyMisused}`,
);

export function aftersaleRoutes(aftersale: AftersaleService) {
  return async (fastify: FastifyInstance) => {
    const app = zodApi(fastify);

    // ---- buyer ----

    app.post(
      '/aftersale/requests',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'createAftersaleRequest',
          summary:
            'Ask for refund only, return and refund, or an exchange of (units of) one line of a delivered order, with a reason',
          body: requestBody,
          headers: optionalKey,
          response: {
            201: aftersaleAnswer.describe(
              `The request: approved by a rule (refund-only: refunded at once), in operator review, or waiting for the merchant.${replayed}`,
            ),
            404: errorResponse('No such order of mine, or no such line in it (`not_found`)'),
            409: errorResponse(
              `The order is not delivered yet (\`not_delivered\`), the line already has an open request (\`request_exists\`), nothing is left to refund (\`nothing_to_refund\`), the size wanted is sold out (\`out_of_stock\`), or ${keyMisused}`,
            ),
            422: errorResponse(
              'Too many units (`quantity_exceeds_line`), too much money (`amount_exceeds_line`), or a wrong exchange (`exchange_sku_required`, `exchange_sku_invalid`, `exchange_sku_unexpected`, `exchange_has_no_amount`)',
            ),
          },
        },
      },
      async (req, reply) => {
        const r = await aftersale.request(routeActor(req), req.body, req.headers['idempotency-key']);
        if (r.replayed) reply.header('idempotent-replayed', 'true');
        return reply.status(201).send(r.body);
      },
    );

    app.get(
      '/aftersale/requests',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'listMyAftersaleRequests',
          summary: 'My after-sale requests',
          response: { 200: aftersaleList },
        },
      },
      async (req) => aftersale.listForBuyer(routeActor(req)),
    );

    app.get(
      '/aftersale/requests/:id',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'getMyAftersaleRequest',
          summary: 'One of my after-sale requests, with its timeline',
          params: idParam,
          response: { 200: aftersaleDetail, 404: notMine },
        },
      },
      async (req) => aftersale.detail(routeActor(req), req.params.id),
    );

    app.post(
      '/aftersale/requests/:id/return-shipment',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'shipAftersaleReturn',
          summary: 'I shipped the approved return back: carrier and tracking number',
          params: idParam,
          body: parcelBody,
          response: { 200: aftersaleAnswer, 404: notMine, 409: wrongState },
        },
      },
      async (req) => aftersale.submitReturn(routeActor(req), req.params.id, req.body),
    );

    app.post(
      '/aftersale/requests/:id/cancel',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'cancelAftersaleRequest',
          summary: 'Withdraw my request (until the return is on its way)',
          params: idParam,
          response: { 200: aftersaleAnswer, 404: notMine, 409: wrongState },
        },
      },
      async (req) => aftersale.cancel(routeActor(req), req.params.id),
    );

    // ---- merchant ----

    app.get(
      '/merchant/aftersale/requests',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'listStoreAftersaleRequests',
          summary: "After-sale requests on my store's orders: open ones first, soonest due first",
          response: { 200: aftersaleList },
        },
      },
      async (req) => aftersale.listForStore(routeStore(req)),
    );

    app.get(
      '/merchant/aftersale/requests/:id',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'getStoreAftersaleRequest',
          summary: 'One after-sale request on my store, with its timeline',
          params: idParam,
          response: { 200: aftersaleDetail, 404: errorResponse('No such request on my store (`not_found`)') },
        },
      },
      async (req) => aftersale.detail(routeStore(req), req.params.id),
    );

    app.post(
      '/merchant/aftersale/requests/:id/decision',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'decideStoreAftersaleRequest',
          summary:
            'Approve (refund-only: refunded at once) or reject (with a reason) a request before its SLA runs out',
          params: idParam,
          body: decisionBody,
          headers: optionalKey,
          response: {
            200: aftersaleAnswer.describe(`The request decided.${replayed}`),
            404: errorResponse('No such request on my store (`not_found`)'),
            409: wrongStateOrKey,
            422: errorResponse('A rejection needs a reason (`reason_required`)'),
          },
        },
      },
      async (req, reply) => {
        const r = await aftersale.decide(
          routeStore(req),
          req.params.id,
          req.body,
          req.headers['idempotency-key'],
        );
        if (r.replayed) reply.header('idempotent-replayed', 'true');
        return r.body;
      },
    );

    app.post(
      '/merchant/aftersale/requests/:id/return-received',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'confirmAftersaleReturn',
          summary:
            'The returned goods arrived: the buyer is refunded (and compensated for the return shipping)',
          params: idParam,
          headers: optionalKey,
          response: {
            200: aftersaleAnswer.describe(`The request, refunded.${replayed}`),
            404: errorResponse('No such request on my store (`not_found`)'),
            409: wrongStateOrKey,
          },
        },
      },
      async (req, reply) => {
        const r = await aftersale.confirmReturn(
          routeStore(req),
          req.params.id,
          req.headers['idempotency-key'],
        );
        if (r.replayed) reply.header('idempotent-replayed', 'true');
        return r.body;
      },
    );

    app.post(
      '/merchant/aftersale/requests/:id/replacement-shipment',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'shipAftersaleReplacement',
          summary: 'I shipped the replacement of an approved exchange: carrier and tracking number',
          params: idParam,
          body: parcelBody,
          response: {
            200: aftersaleAnswer,
            404: errorResponse('No such request on my store (`not_found`)'),
            409: wrongState,
          },
        },
      },
      async (req) => aftersale.shipReplacement(routeStore(req), req.params.id, req.body),
    );

    app.get(
      '/merchant/aftersale/settings',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'getStoreAftersaleSettings',
          summary: "My store's after-sale settings",
          response: { 200: storeAftersaleSettings },
        },
      },
      async (req) => aftersale.storeSettings(routeStore(req)),
    );

    app.put(
      '/merchant/aftersale/settings',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'putStoreAftersaleSettings',
          summary: 'Opt in to refund-only of low-price goods without asking me, and shipping insurance',
          body: storeAftersaleSettings.strict(),
          response: { 200: storeAftersaleSettings },
        },
      },
      async (req) => aftersale.setStoreSettings(routeStore(req), req.body),
    );

    // ---- operator ----

    app.get(
      '/ops/aftersale/requests',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'listAllAftersaleRequests',
          summary: 'All after-sale requests (`status=review`: the abuse review queue), newest first',
          querystring: z.object({ status: statusFilter.optional() }).strict(),
          response: { 200: aftersaleList },
        },
      },
      async (req) => aftersale.listForOps(routeActor(req), req.query.status),
    );

    app.get(
      '/ops/aftersale/requests/:id',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'getAftersaleRequestForOps',
          summary: 'One after-sale request, with its timeline',
          params: idParam,
          response: { 200: aftersaleDetail, 404: errorResponse('No such request (`not_found`)') },
        },
      },
      async (req) => aftersale.detail(routeActor(req), req.params.id),
    );

    app.post(
      '/ops/aftersale/requests/:id/decision',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'decideAftersaleRequest',
          summary: 'Approve or reject a request in review (or one still waiting for its merchant)',
          params: idParam,
          body: decisionBody,
          headers: optionalKey,
          response: {
            200: aftersaleAnswer.describe(`The request decided.${replayed}`),
            404: errorResponse('No such request (`not_found`)'),
            409: wrongStateOrKey,
            422: errorResponse('A rejection needs a reason (`reason_required`)'),
          },
        },
      },
      async (req, reply) => {
        const r = await aftersale.decide(
          routeActor(req),
          req.params.id,
          req.body,
          req.headers['idempotency-key'],
        );
        if (r.replayed) reply.header('idempotent-replayed', 'true');
        return r.body;
      },
    );

    app.get(
      '/ops/aftersale/policy',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'getAftersalePolicy',
          summary:
            'The after-sale policy: auto-approval thresholds, SLAs, abuse limits, shipping subsidy, auto-confirm',
          response: { 200: aftersalePolicyAnswer },
        },
      },
      async (req) => aftersale.policyForOps(routeActor(req)),
    );

    app.put(
      '/ops/aftersale/policy',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'putAftersalePolicy',
          summary: 'Replace the after-sale policy (the whole record, validated)',
          body: aftersalePolicy,
          response: { 200: aftersalePolicyAnswer },
        },
      },
      async (req) => aftersale.setPolicy(routeActor(req), req.body),
    );
  };
}
