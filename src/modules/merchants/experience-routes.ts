import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { routeActor, signedIn } from '../../platform/auth.ts';
import { idParam, zodApi } from '../../platform/routes.ts';
import {
  myStoreExperienceSchema,
  opsStoreExperiencePageSchema,
  recomputeAnswerSchema,
  storeExperienceSchema,
} from './experience-schema.ts';
import type { MerchantsService } from './service.ts';

const tags = ['merchants'];

const listQuery = z
  .object({
    cursor: z.string().min(1).max(200).optional(),
    limit: z.coerce.number().int().min(1).max(50).default(20),
  })
  .strict();

/** The store experience score (店铺体验分): the store page, the merchant console and the ops console. */
export function experienceRoutes(merchants: MerchantsService) {
  const scores = merchants.experience;
  return async (fastify: FastifyInstance) => {
    const app = zodApi(fastify);

    app.get(
      '/stores/:id/experience',
      {
        schema: {
          tags,
          operationId: 'getStoreExperience',
          summary: "A store's latest experience score (店铺体验分), for its public page",
          params: idParam,
          response: { 200: storeExperienceSchema.describe('The latest score, or null before the first') },
        },
      },
      async (req) => scores.forStore(req.params.id),
    );

    app.get(
      '/merchant/experience',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'getMyStoreExperience',
          summary:
            "The merchant's experience score: today's, its 30-day history, its figures and what to improve",
          response: { 200: myStoreExperienceSchema.describe("The store's experience score") },
        },
      },
      async (req) => scores.forMerchant(routeActor(req)),
    );

    app.get(
      '/ops/stores/experience',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'listStoreExperience',
          summary: 'Stores with their latest experience score, lowest first (operators)',
          querystring: listQuery,
          response: { 200: opsStoreExperiencePageSchema.describe('A page of scored stores') },
        },
      },
      async (req) => scores.list(routeActor(req), req.query),
    );

    app.post(
      '/ops/stores/experience/recompute',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'recomputeStoreExperience',
          summary: "Recompute today's experience scores of every open store now (operators)",
          response: { 200: recomputeAnswerSchema.describe('The day computed and how many stores') },
        },
      },
      async (req) => scores.recompute(routeActor(req)),
    );
  };
}
