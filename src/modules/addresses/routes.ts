import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireActor, signedIn } from '../../platform/auth.ts';
import { idParam, zodApi } from '../../platform/routes.ts';
import { addressSchema } from './address.ts';
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
        schema: { tags, summary: 'My saved delivery addresses, the default first' },
      },
      async (req) => ({ addresses: await book.list(requireActor(req, 'buyer')) }),
    );

    app.post(
      '/addresses',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          summary: 'Save a delivery address (the first one becomes the default)',
          body: createBody,
        },
      },
      async (req, reply) =>
        reply.status(201).send({ address: await book.create(requireActor(req, 'buyer'), req.body) }),
    );

    app.patch(
      '/addresses/:id',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          summary: 'Edit a saved address, or make it the default',
          params: idParam,
          body: patchBody,
        },
      },
      async (req) => ({
        address: await book.update(requireActor(req, 'buyer'), req.params.id, req.body),
      }),
    );

    app.delete(
      '/addresses/:id',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          summary: 'Delete a saved address (the newest other one becomes the default)',
          params: idParam,
        },
      },
      async (req) => {
        await book.remove(requireActor(req, 'buyer'), req.params.id);
        return { deleted: true };
      },
    );
  };
}
