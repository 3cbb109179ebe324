import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** The Fastify instance with routes typed by their zod schemas. */
export function zodApi(app: FastifyInstance) {
  return app.withTypeProvider<ZodTypeProvider>();
}

export const idParam = z.object({ id: z.uuid() });

/** Pagination for lists: `?page=1&pageSize=20`. */
export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

/** The answer of a paged list (`pageQuery`): one page of `item`s and the count of all of them. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    /** All items the list has, over every page. */
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
}

/** The Idempotency-Key header money- and stock-moving POSTs require. */
export const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(8)
    .max(128)
    .regex(/^[A-Za-z0-9_\-:.]+$/, 'letters, digits and _-:. only'),
});

export type Req = FastifyRequest;
export type Rep = FastifyReply;
