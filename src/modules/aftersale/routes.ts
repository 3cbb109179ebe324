import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireActor, requireMerchantStore, signedIn } from '../../platform/auth.ts';
import { zodApi } from '../../platform/routes.ts';
import { multiLineText } from '../../platform/text.ts';
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
          summary: 'Ask for a refund of one line of a delivered or completed order, with a reason',
          body: requestBody,
        },
      },
      async (req, reply) =>
        reply.status(201).send(await aftersale.request(requireActor(req, 'buyer'), req.body)),
    );

    app.get(
      '/aftersale/requests',
      { config: signedIn('buyer'), schema: { tags, summary: 'My after-sale requests' } },
      async (req) => aftersale.listForBuyer(requireActor(req, 'buyer')),
    );

    app.get(
      '/merchant/aftersale/requests',
      { config: signedIn('merchant'), schema: { tags, summary: "After-sale requests on my store's orders" } },
      async (req) => aftersale.listForStore(requireMerchantStore(req)),
    );
  };
}
