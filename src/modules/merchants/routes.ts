import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { routeActor, signedIn } from '../../platform/auth.ts';
import { keysetQuery } from '../../platform/keyset.ts';
import { idParam, zodApi } from '../../platform/routes.ts';
import { multiLineText, singleLineText } from '../../platform/text.ts';
import {
  opsMerchantPageSchema,
  publicStoreSchema,
  storeProfileSchema,
  storeStatusSchema,
} from './api-schema.ts';
import type { MerchantsService } from './service.ts';
import { chinaPhone, imageUrl } from './validation.ts';

const tags = ['merchants'];

const storeName = singleLineText({ min: 2, max: 30 });
const storeDescription = multiLineText({ max: 500 });
const storeAnswer = z.object({ store: storeProfileSchema });

export function merchantsRoutes(merchants: MerchantsService) {
  return async (fastify: FastifyInstance) => {
    const app = zodApi(fastify);

    app.post(
      '/stores',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'openStore',
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
          response: { 201: storeAnswer.describe('The store opened') },
        },
      },
      async (req, reply) => {
        const store = await merchants.openStore(routeActor(req), req.body);
        return reply.status(201).send({ store });
      },
    );

    app.get(
      '/stores/mine',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'getMyStore',
          summary: "The signed-in merchant's store",
          response: { 200: storeAnswer.describe("The merchant's store") },
        },
      },
      async (req) => ({ store: await merchants.myStore(routeActor(req)) }),
    );

    app.patch(
      '/stores/mine',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'updateMyStore',
          summary: 'Edit the store profile',
          body: z
            .object({
              name: storeName.optional(),
              description: storeDescription.optional(),
              logoUrl: z.union([imageUrl, z.literal('')]).optional(),
              contactPhone: chinaPhone.optional(),
            })
            .strict(),
          response: { 200: storeAnswer.describe('The store as edited') },
        },
      },
      async (req) => ({ store: await merchants.updateMyStore(routeActor(req), req.body) }),
    );

    app.get(
      '/stores/:id',
      {
        schema: {
          tags,
          operationId: 'getStore',
          summary: 'Public store page data',
          params: idParam,
          response: { 200: z.object({ store: publicStoreSchema }).describe('The public store page') },
        },
      },
      async (req) => ({ store: await merchants.publicStore(req.params.id) }),
    );

    app.get(
      '/ops/merchants',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'listOpsMerchants',
          summary: 'Merchants and their stores (operators)',
          querystring: keysetQuery,
          response: { 200: opsMerchantPageSchema.describe('A page of merchants') },
        },
      },
      async (req) => merchants.opsMerchants(routeActor(req), req.query),
    );

    app.patch(
      '/ops/merchants/:id',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'setStoreStatus',
          summary: 'Suspend a store (its products are hidden and not sold) or open it again (operators)',
          params: idParam,
          body: z.object({ status: z.enum(['open', 'suspended']) }).strict(),
          response: { 200: z.object({ store: storeStatusSchema }).describe('The store with its new status') },
        },
      },
      async (req) => ({
        store: await merchants.setStoreStatus(routeActor(req), req.params.id, req.body.status),
      }),
    );
  };
}
