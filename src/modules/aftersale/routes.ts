import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { routeActor, routeStore, signedIn } from '../../platform/auth.ts';
import { errorResponse } from '../../platform/openapi.ts';
import { zodApi } from '../../platform/routes.ts';
import { multiLineText } from '../../platform/text.ts';
import { aftersaleAnswer, aftersaleList } from './api-schema.ts';
import { AFTERSALE_REASONS, type AftersaleService } from './service.ts';

const tags = ['aftersale'];

const requestBody = z
  .object({
    orderId: z.uuid(),
    skuId: z.uuid(),
    reason: z.enum(AFTERSALE_REASONS),
    note: multiLineText({ max: 500 }).optional(),
  })
  .strict();

export function aftersaleRoutes(aftersale: AftersaleService) {
  return async (fastify: FastifyInstance) => {
    const app = zodApi(fastify);

    app.post(
      '/aftersale/requests',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'createAftersaleRequest',
          summary: 'Ask for a refund of one line of a delivered or completed order, with a reason',
          body: requestBody,
          response: {
            201: aftersaleAnswer.describe('The request, waiting for the merchant'),
            404: errorResponse('No such order of mine, or no such line in it (`not_found`)'),
            409: errorResponse(
              'The order is not delivered yet (`not_delivered`), or the line already has a request (`request_exists`)',
            ),
          },
        },
      },
      async (req, reply) => reply.status(201).send(await aftersale.request(routeActor(req), req.body)),
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
      '/merchant/aftersale/requests',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'listStoreAftersaleRequests',
          summary: "After-sale requests on my store's orders",
          response: { 200: aftersaleList },
        },
      },
      async (req) => aftersale.listForStore(routeStore(req)),
    );
  };
}
