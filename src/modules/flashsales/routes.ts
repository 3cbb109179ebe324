import type { FastifyInstance } from 'fastify';
import { routeActor, signedIn } from '../../platform/auth.ts';
import { errorResponse } from '../../platform/openapi.ts';
import { idempotencyHeaders, idParam, zodApi } from '../../platform/routes.ts';
import {
  createFlashSaleBody,
  flashSaleAnswer,
  flashSaleList,
  listFlashSalesQuery,
  purchaseAnswer,
  purchaseBody,
} from './api-schema.ts';
import type { FlashSalesService } from './service.ts';

const tags = ['flashsales'];

export function flashSaleRoutes(flash: FlashSalesService) {
  return async (fastify: FastifyInstance) => {
    const app = zodApi(fastify);

    app.post(
      '/merchant/flash-sales',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'createFlashSale',
          summary:
            "Start a flash sale: the units leave the SKU's stock now and what is left goes back when it ends",
          body: createFlashSaleBody,
          response: {
            201: flashSaleAnswer.describe('The sale, running (or scheduled when it starts later)'),
            409: errorResponse(
              'The SKU is not for sale (`sku_unavailable`), has fewer units than the sale (`not_enough_stock`), or the live session is over (`session_over`)',
            ),
            422: errorResponse(
              'The price is above the list price (`flash_price_too_high`) or the product is not sold in the session (`product_not_in_session`)',
            ),
          },
        },
      },
      async (req, reply) => reply.status(201).send({ sale: await flash.create(routeActor(req), req.body) }),
    );

    app.get(
      '/merchant/flash-sales',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'listMyFlashSales',
          summary: "The store's flash sales, newest first (of one live session when given)",
          querystring: listFlashSalesQuery,
          response: { 200: flashSaleList },
        },
      },
      async (req) => ({ sales: await flash.listForStore(routeActor(req), req.query.sessionId) }),
    );

    app.post(
      '/merchant/flash-sales/:id/end',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'endFlashSale',
          summary: 'End a flash sale now: the units left go back to the SKU (ending twice is harmless)',
          params: idParam,
          response: { 200: flashSaleAnswer.describe('The sale, ended') },
        },
      },
      async (req) => ({ sale: await flash.endByMerchant(routeActor(req), req.params.id) }),
    );

    app.get(
      '/flash-sales/:id',
      {
        schema: {
          tags,
          operationId: 'getFlashSale',
          summary: 'A flash sale: price, units left, window',
          params: idParam,
          response: { 200: flashSaleAnswer },
        },
      },
      async (req) => ({ sale: await flash.get(req.params.id) }),
    );

    app.post(
      '/flash-sales/:id/purchases',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'purchaseFlashSale',
          summary:
            'Buy one unit (first come, first served): an order at the flash price, to pay at /pay/<checkoutId>; needs an Idempotency-Key',
          headers: idempotencyHeaders,
          params: idParam,
          body: purchaseBody,
          response: {
            201: purchaseAnswer.describe(
              'The order, waiting for payment. Idempotent-Replayed: true when a retry with the same Idempotency-Key got the first answer',
            ),
            409: errorResponse(
              'Sold out (`sold_out`), the buyer has bought as many as allowed (`limit_reached`), the sale has not started (`not_started`) or has ended (`ended`); the Idempotency-Key was used with another body (`idempotency_key_reused`) or is in use (`idempotency_key_busy`)',
            ),
          },
        },
      },
      async (req, reply) => {
        const result = await flash.purchase(
          routeActor(req),
          req.params.id,
          req.headers['idempotency-key'],
          req.body,
        );
        if (result.replayed) reply.header('idempotent-replayed', 'true');
        return reply.status(201).send(result.body);
      },
    );
  };
}
