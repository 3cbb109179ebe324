import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { signedIn } from '../../platform/auth.ts';
import { zodApi } from '../../platform/routes.ts';
import type { OpsService } from './service.ts';

/** The operators' overview figures (the service's `Overview` is this schema's type). */
export const overviewSchema = z.object({
  merchants: z.number().int(),
  buyers: z.number().int(),
  products: z.number().int(),
  orders: z.number().int(),
  paidOrders: z.number().int(),
  gmvFen: z.number().int(),
});

export function opsRoutes(ops: OpsService) {
  return async (fastify: FastifyInstance) => {
    const app = zodApi(fastify);
    app.get(
      '/ops/overview',
      {
        config: signedIn('operator'),
        schema: {
          tags: ['ops'],
          operationId: 'getOpsOverview',
          summary: 'Platform totals',
          response: { 200: overviewSchema },
        },
      },
      async () => ops.overview(),
    );
  };
}
