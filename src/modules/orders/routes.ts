import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireActor, requireMerchantStore, signedIn } from '../../platform/auth.ts';
import { idempotencyHeaders, idParam, pageQuery, zodApi } from '../../platform/routes.ts';
import { singleLineText } from '../../platform/text.ts';
import { addressSchema } from '../addresses/index.ts';
import type { OrdersService } from './service.ts';
import { ORDER_STATUSES } from './state-machine.ts';

const tags = ['orders'];
const text = (max: number) => singleLineText({ min: 1, max });

export const checkoutBody = z
  .object({
    lines: z
      .array(z.object({ skuId: z.uuid(), quantity: z.number().int().min(1).max(99) }).strict())
      .min(1)
      .max(100)
      .optional(),
    address: addressSchema,
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

export function ordersRoutes(orders: OrdersService) {
  return async (fastify: FastifyInstance) => {
    const app = zodApi(fastify);

    app.get(
      '/cart',
      { config: signedIn('buyer'), schema: { tags, summary: "The buyer's cart" } },
      async (req) => orders.cart(requireActor(req, 'buyer')),
    );

    app.put(
      '/cart/items/:skuId',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          summary: 'Put a SKU in the cart with a quantity',
          params: skuParam,
          body: z.object({ quantity: z.number().int().min(1).max(99) }).strict(),
        },
      },
      async (req) => orders.setCartItem(requireActor(req, 'buyer'), req.params.skuId, req.body.quantity),
    );

    app.delete(
      '/cart/items/:skuId',
      {
        config: signedIn('buyer'),
        schema: { tags, summary: 'Remove a SKU from the cart', params: skuParam },
      },
      async (req) => orders.removeCartItem(requireActor(req, 'buyer'), req.params.skuId),
    );

    app.post(
      '/checkouts',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          summary: 'Check out (one order per store; stock reserved); needs an Idempotency-Key',
          headers: idempotencyHeaders,
          body: checkoutBody,
        },
      },
      async (req, reply) => {
        const actor = requireActor(req, 'buyer');
        const result = await orders.checkout(actor, req.headers['idempotency-key'], req.body);
        if (result.replayed) reply.header('idempotent-replayed', 'true');
        return reply.status(result.statusCode).send(result.body);
      },
    );

    app.get(
      '/checkouts/:id',
      {
        config: signedIn('buyer'),
        schema: { tags, summary: 'A checkout with its orders and payment status', params: idParam },
      },
      async (req) => orders.getCheckout(requireActor(req, 'buyer'), req.params.id),
    );

    app.get(
      '/orders',
      { config: signedIn('buyer'), schema: { tags, summary: "The buyer's orders", querystring: listQuery } },
      async (req) => orders.listForBuyer(requireActor(req, 'buyer'), req.query),
    );

    app.get(
      '/orders/:id',
      { config: signedIn('buyer'), schema: { tags, summary: 'One of my orders', params: idParam } },
      async (req) => orders.getForBuyer(requireActor(req, 'buyer'), req.params.id),
    );

    app.post(
      '/orders/:id/cancel',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          summary: 'Cancel (unpaid: stock back; paid: full refund); an Idempotency-Key makes a retry safe',
          params: idParam,
          headers: optionalIdempotencyHeaders,
        },
      },
      async (req, reply) => {
        const actor = requireActor(req, 'buyer');
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
          summary: 'Confirm receipt: the order completes; an Idempotency-Key makes a retry safe',
          params: idParam,
          headers: optionalIdempotencyHeaders,
        },
      },
      async (req, reply) => {
        const actor = requireActor(req, 'buyer');
        const result = await orders.confirmReceipt(actor, req.params.id, req.headers['idempotency-key']);
        if (result.replayed) reply.header('idempotent-replayed', 'true');
        return result.body;
      },
    );

    app.get(
      '/merchant/orders',
      {
        config: signedIn('merchant'),
        schema: { tags, summary: "The store's orders", querystring: listQuery },
      },
      async (req) => orders.listForStore(requireMerchantStore(req), req.query),
    );

    app.get(
      '/merchant/dashboard',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          summary:
            "My store's orders to ship, today's GMV and orders, and GMV and orders per day for 30 days (days in Asia/Shanghai)",
        },
      },
      async (req) => orders.dashboardForStore(requireMerchantStore(req)),
    );

    app.get(
      '/merchant/orders/:id',
      { config: signedIn('merchant'), schema: { tags, summary: 'One order of my store', params: idParam } },
      async (req) => orders.getForStore(requireMerchantStore(req), req.params.id),
    );

    app.post(
      '/merchant/orders/:id/ship',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          summary: 'Ship a paid order',
          params: idParam,
          body: z
            .object({
              carrier: text(40),
              trackingNo: singleLineText({ min: 4, max: 40 }).regex(
                /^[A-Za-z0-9-]{4,40}$/,
                'letters, digits and - only',
              ),
            })
            .strict(),
        },
      },
      async (req) => orders.ship(requireMerchantStore(req), req.params.id, req.body),
    );

    app.get(
      '/ops/orders',
      { config: signedIn('operator'), schema: { tags, summary: 'All orders', querystring: listQuery } },
      async (req) => orders.listAll(requireActor(req, 'operator'), req.query),
    );
  };
}
