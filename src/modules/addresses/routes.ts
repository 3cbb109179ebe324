import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { routeActor, signedIn } from '../../platform/auth.ts';
import { errorResponse } from '../../platform/openapi.ts';
import { idParam, zodApi } from '../../platform/routes.ts';
import { addressSchema } from './address.ts';
import { addressAnswer, addressDeleted, addressList } from './api-schema.ts';
import type { AddressBook } from './service.ts';

const tags = ['addresses'];
const createBody = addressSchema.extend({ isDefault: z.boolean().optional() }).strict();
const patchBody = createBody.partial().strict();

export function addressRoutes(book: AddressBook) {
  return async (fastify: FastifyInstance) => {
    const app = zodApi(fastify);

    app.get(
      '/addresses',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'listMyAddresses',
          summary: 'My saved delivery addresses, the default first',
          response: { 200: addressList },
        },
      },
      async (req) => ({ addresses: await book.list(routeActor(req)) }),
    );

    app.post(
      '/addresses',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'createAddress',
          summary: 'Save a delivery address (the first one becomes the default)',
          body: createBody,
          response: {
            201: addressAnswer.describe('The saved address'),
            409: errorResponse('The address book is full (`too_many_addresses`)'),
          },
        },
      },
      async (req, reply) => reply.status(201).send({ address: await book.create(routeActor(req), req.body) }),
    );

    app.patch(
      '/addresses/:id',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'updateAddress',
          summary: 'Edit a saved address, or make it the default',
          params: idParam,
          body: patchBody,
          response: { 200: addressAnswer.describe('The address as saved now') },
        },
      },
      async (req) => ({ address: await book.update(routeActor(req), req.params.id, req.body) }),
    );

    app.delete(
      '/addresses/:id',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'deleteAddress',
          summary: 'Delete a saved address (the newest other one becomes the default)',
          params: idParam,
          response: { 200: addressDeleted },
        },
      },
      async (req) => {
        await book.remove(routeActor(req), req.params.id);
        return { deleted: true as const };
      },
    );
  };
}
