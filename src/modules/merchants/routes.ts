import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireActor, signedIn } from '../../platform/auth.ts';
import { idParam, pageQuery, zodApi } from '../../platform/routes.ts';
import { multiLineText, singleLineText } from '../../platform/text.ts';
import type { MerchantsService } from './service.ts';
import { chinaPhone, imageUrl } from './validation.ts';

const tags = ['merchants'];

const storeName = singleLineText({ min: 2, max: 30 });
const storeDescription = multiLineText({ max: 500 });

export function merchantsRoutes(merchants: MerchantsService) {
  return async (fastify: FastifyInstance) => {
    const app = zodApi(fastify);

    app.post(
      '/stores',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          summary: 'Open a store with no fee and no deposit (新商0元开店); one per merchant account',
          body: z
            .object({
              name: storeName,
              description: storeDescription.optional(),
              businessType: z.enum(['apparel', 'food', 'general']),
              contactPhone: chinaPhone.optional(),
              logoUrl: imageUrl.optional(),
            })
            .strict(),
        },
      },
      async (req, reply) => {
        const actor = requireActor(req, 'merchant');
        const store = await merchants.openStore(actor, req.body);
        return reply.status(201).send({ store });
      },
    );

    app.get(
      '/stores/mine',
      { config: signedIn('merchant'), schema: { tags, summary: "The signed-in merchant's store" } },
      async (req) => {
        const actor = requireActor(req, 'merchant');
        return { store: await merchants.myStore(actor) };
      },
    );

    app.patch(
      '/stores/mine',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          summary: 'Edit the store profile',
          body: z
            .object({
              name: storeName.optional(),
              description: storeDescription.optional(),
              logoUrl: z.union([imageUrl, z.literal('')]).optional(),
              contactPhone: chinaPhone.optional(),
            })
            .strict(),
        },
      },
      async (req) => {
        const actor = requireActor(req, 'merchant');
        return { store: await merchants.updateMyStore(actor, req.body) };
      },
    );

    app.get(
      '/stores/:id',
      { schema: { tags, summary: 'Public store page data', params: idParam } },
      async (req) => ({ store: await merchants.publicStore(req.params.id) }),
    );

    app.get(
      '/ops/merchants',
      {
        config: signedIn('operator'),
        schema: { tags: ['ops'], summary: 'Merchants and their stores (operators)', querystring: pageQuery },
      },
      async (req) => {
        const actor = requireActor(req, 'operator');
        return merchants.opsMerchants(actor, req.query.page, req.query.pageSize);
      },
    );

    app.patch(
      '/ops/merchants/:id',
      {
        config: signedIn('operator'),
        schema: {
          tags: ['ops'],
          summary: 'Suspend a store (its products are hidden and not sold) or open it again (operators)',
          params: idParam,
          body: z.object({ status: z.enum(['open', 'suspended']) }).strict(),
        },
      },
      async (req) => {
        const actor = requireActor(req, 'operator');
        return { store: await merchants.setStoreStatus(actor, req.params.id, req.body.status) };
      },
    );
  };
}
