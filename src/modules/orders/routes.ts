import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { attributionSchema } from '../../platform/attribution.ts';
import { routeActor, routeStore, signedIn } from '../../platform/auth.ts';
import { keysetQuery } from '../../platform/keyset.ts';
import { errorResponse } from '../../platform/openapi.ts';
import { idempotencyHeaders, idParam, pageQuery, zodApi } from '../../platform/routes.ts';
import { singleLineText } from '../../platform/text.ts';
import { addressSchema } from '../addresses/index.ts';
import {
  cartView,
  checkoutAnswer,
  checkoutWithPayment,
  opsOrderPage,
  orderAnswer,
  orderPage,
  storeDashboardView,
} from './api-schema.ts';
import { CARRIERS } from './carriers.ts';
import type { OrdersService } from './service.ts';
import { ORDER_STATUSES } from './state-machine.ts';

const tags = ['orders'];

export const checkoutBody = z
  .object({
    lines: z
      .array(
        z
          .object({
            skuId: z.uuid(),
            quantity: z.number().int().min(1).max(99),
            attribution: attributionSchema.optional().meta({
              description:
                'Where the buyer came from for this line (buy now); omitted: the request’s `attribution`, else the cart line’s, else direct',
            }),
          })
          .strict(),
      )
      .min(1)
      .max(100)
      .optional(),
    attribution: attributionSchema.optional().meta({
      description:
        'Where the buyer came from for the checkout and its orders; omitted: that of the line that pays the most. A checkout of the cart keeps each cart line’s own',
    }),
    address: addressSchema,
    couponIds: z.array(z.uuid()).max(10).optional().meta({
      description: 'Exactly these coupons (`[]`: none); omitted: the best combination, as the cart shows',
    }),
  })
  .strict();

const skuParam = z.object({ skuId: z.uuid() });
/** Cancel and confirm-receipt accept an Idempotency-Key (optional, for clients that retry). */
const optionalIdempotencyHeaders = idempotencyHeaders.partial();
/** `status=shipped` or several, comma-separated (`status=shipped,delivered`: the buyer's "to receive"). */
const statusFilter = z
  .string()
  .max(200)
  .transform((s) => s.split(','))
  .pipe(z.array(z.enum(ORDER_STATUSES)).min(1).max(ORDER_STATUSES.length));
const listQuery = pageQuery.extend({ status: statusFilter.optional() });
const replayedHeader =
  'Idempotent-Replayed: true when a retry with the same Idempotency-Key got the first answer';
const keyMisused = errorResponse(
  'The Idempotency-Key was used for another request (`idempotency_key_reused`) or is in use (`idempotency_key_busy`), or the order is not in a state that allows it (`illegal_transition`, `payment_in_progress`)',
);

export function ordersRoutes(orders: OrdersService) {
  return async (fastify: FastifyInstance) => {
    const app = zodApi(fastify);

    app.get(
      '/cart',
      {
        config: signedIn('buyer'),
        schema: { tags, operationId: 'getCart', summary: "The buyer's cart", response: { 200: cartView } },
      },
      async (req) => orders.cart(routeActor(req)),
    );

    app.put(
      '/cart/items/:skuId',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'putCartItem',
          summary: 'Put a SKU in the cart with a quantity',
          params: skuParam,
          body: z
            .object({
              quantity: z.number().int().min(1).max(99),
              attribution: attributionSchema.optional().meta({
                description:
                  'Where the buyer came from (`?from=&imp=&content=` of the product page); the line keeps the latest one given; omitted: the line keeps its own (direct when new)',
              }),
            })
            .strict(),
          response: {
            200: cartView.describe('The cart with the SKU in it'),
            422: errorResponse('The product is not on sale (`not_on_sale`)'),
          },
        },
      },
      async (req) =>
        orders.setCartItem(routeActor(req), req.params.skuId, req.body.quantity, req.body.attribution),
    );

    app.delete(
      '/cart/items/:skuId',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'deleteCartItem',
          summary: 'Remove a SKU from the cart',
          params: skuParam,
          response: { 200: cartView.describe('The cart without the SKU') },
        },
      },
      async (req) => orders.removeCartItem(routeActor(req), req.params.skuId),
    );

    app.post(
      '/checkouts',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'createCheckout',
          summary: 'Check out (one order per store; stock reserved); needs an Idempotency-Key',
          headers: idempotencyHeaders,
          body: checkoutBody,
          response: {
            201: checkoutAnswer.describe(
              `The checkout and its orders, waiting for payment. ${replayedHeader}`,
            ),
            409: errorResponse(
              'The Idempotency-Key was used with another body (`idempotency_key_reused`) or is in use (`idempotency_key_busy`); a SKU is out of stock (`out_of_stock`) or not for sale (`sku_unavailable`); a store is suspended (`store_suspended`); prices kept changing while checking out (`price_changed`)',
            ),
            422: errorResponse(
              'Nothing to check out (`cart_empty`), too many of a SKU (`quantity_too_large`), a SKU no one sells (`unknown_sku`), or coupons that cannot be used here or together (`coupon_not_applicable`, `coupons_not_stackable`)',
            ),
          },
        },
      },
      async (req, reply) => {
        const actor = routeActor(req);
        const result = await orders.checkout(actor, req.headers['idempotency-key'], req.body);
        if (result.replayed) reply.header('idempotent-replayed', 'true');
        // A replay answers 201 with the same checkout, as it is now (its orders may be paid since).
        return reply.status(201).send(result.body);
      },
    );

    app.get(
      '/checkouts/:id',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'getCheckout',
          summary: 'A checkout with its orders and payment status',
          params: idParam,
          response: { 200: checkoutWithPayment },
        },
      },
      async (req) => orders.getCheckout(routeActor(req), req.params.id),
    );

    app.get(
      '/orders',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'listMyOrders',
          summary: "The buyer's orders, newest first",
          querystring: listQuery,
          response: { 200: orderPage },
        },
      },
      async (req) => orders.listForBuyer(routeActor(req), req.query),
    );

    app.get(
      '/orders/:id',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'getMyOrder',
          summary: 'One of my orders, with its history',
          params: idParam,
          response: { 200: orderAnswer },
        },
      },
      async (req) => orders.getForBuyer(routeActor(req), req.params.id),
    );

    app.post(
      '/orders/:id/cancel',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'cancelOrder',
          summary: 'Cancel (unpaid: stock back; paid: full refund); an Idempotency-Key makes a retry safe',
          params: idParam,
          headers: optionalIdempotencyHeaders,
          response: { 200: orderAnswer.describe(`The cancelled order. ${replayedHeader}`), 409: keyMisused },
        },
      },
      async (req, reply) => {
        const actor = routeActor(req);
        const result = await orders.cancel(actor, req.params.id, req.headers['idempotency-key']);
        if (result.replayed) reply.header('idempotent-replayed', 'true');
        return result.body;
      },
    );

    app.post(
      '/orders/:id/confirm-receipt',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'confirmOrderReceipt',
          summary: 'Confirm receipt: the order completes; an Idempotency-Key makes a retry safe',
          params: idParam,
          headers: optionalIdempotencyHeaders,
          response: { 200: orderAnswer.describe(`The completed order. ${replayedHeader}`), 409: keyMisused },
        },
      },
      async (req, reply) => {
        const actor = routeActor(req);
        const result = await orders.confirmReceipt(actor, req.params.id, req.headers['idempotency-key']);
        if (result.replayed) reply.header('idempotent-replayed', 'true');
        return result.body;
      },
    );

    app.get(
      '/merchant/orders',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'listStoreOrders',
          summary: "The store's orders, newest first",
          querystring: listQuery,
          response: { 200: orderPage },
        },
      },
      async (req) => orders.listForStore(routeStore(req), req.query),
    );

    app.get(
      '/merchant/dashboard',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          summary:
            "My store's orders to ship, today's GMV and orders, and GMV and orders per day for 30 days (days in Asia/Shanghai)",
          operationId: 'getStoreDashboard',
          response: { 200: storeDashboardView },
        },
      },
      async (req) => orders.dashboardForStore(routeStore(req)),
    );

    app.get(
      '/merchant/orders/:id',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'getStoreOrder',
          summary: 'One order of my store, with its history',
          params: idParam,
          response: { 200: orderAnswer },
        },
      },
      async (req) => orders.getForStore(routeStore(req), req.params.id),
    );

    app.post(
      '/merchant/orders/:id/ship',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'shipOrder',
          summary: 'Ship a paid order with a carrier (a code) and its tracking number',
          params: idParam,
          body: z
            .object({
              carrier: z.enum(CARRIERS),
              trackingNo: singleLineText({ min: 4, max: 40 }).regex(
                /^[A-Za-z0-9-]{4,40}$/,
                'letters, digits and - only',
              ),
            })
            .strict(),
          response: {
            200: orderAnswer.describe('The shipped order'),
            409: errorResponse('The order is not paid, or already shipped (`illegal_transition`)'),
          },
        },
      },
      async (req) => orders.ship(routeStore(req), req.params.id, req.body),
    );

    app.get(
      '/ops/orders',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'listAllOrders',
          summary: 'All orders, newest first',
          querystring: keysetQuery.extend({ status: statusFilter.optional() }),
          response: { 200: opsOrderPage },
        },
      },
      async (req) => orders.listAll(routeActor(req), req.query),
    );
  };
}
