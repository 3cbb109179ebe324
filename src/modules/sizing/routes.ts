import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { routeActor, routeStore, signedIn } from '../../platform/auth.ts';
import { idParam, zodApi } from '../../platform/routes.ts';
import {
  fitFeedbackSchema,
  orderFitSchema,
  profileViewSchema,
  recommendationSchema,
  sizeInsightsSchema,
  sizeMetricsSchema,
} from './api-schema.ts';
import { profileInputSchema, profilePatchSchema } from './profiles.ts';
import { bodyAnswersSchema } from './schemas.ts';
import type { SizingService } from './service.ts';

const tags = ['sizing'];

const recommendBody = z
  .object({
    productId: z.string().min(1).max(64),
    /** One of the buyer's size profiles … */
    profileId: z.string().min(1).max(64).optional(),
    /** … or the answers themselves (anonymous buyers too). */
    answers: bodyAnswersSchema.strict().optional(),
  })
  .strict();

const fitFeedbackBody = z.object({ skuId: z.uuid(), fit: z.enum(['small', 'fit', 'large']) }).strict();
const metricsQuery = z.object({ days: z.coerce.number().int().min(1).max(365).default(30) });
const profileAnswer = z.object({ profile: profileViewSchema });

export function sizingRoutes(sizing: SizingService) {
  return async (fastify: FastifyInstance) => {
    const app = zodApi(fastify);

    app.get(
      '/size/profiles',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'listSizeProfiles',
          summary: 'My size profiles (self, partner, child …)',
          response: { 200: z.object({ profiles: z.array(profileViewSchema) }).describe('My size profiles') },
        },
      },
      async (req) => ({ profiles: await sizing.profiles.list(routeActor(req)) }),
    );

    app.post(
      '/size/profiles',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'createSizeProfile',
          summary: 'Create a size profile from the answers (the body is estimated, with uncertainty)',
          body: profileInputSchema,
          response: { 201: profileAnswer.describe('The profile created') },
        },
      },
      async (req, reply) =>
        reply.status(201).send({ profile: await sizing.profiles.create(routeActor(req), req.body) }),
    );

    app.get(
      '/size/profiles/:id',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'getSizeProfile',
          summary: 'One of my size profiles',
          params: idParam,
          response: { 200: profileAnswer.describe('The profile') },
        },
      },
      async (req) => ({ profile: await sizing.profiles.get(routeActor(req), req.params.id) }),
    );

    app.patch(
      '/size/profiles/:id',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'updateSizeProfile',
          summary: 'Correct a size profile: new answers re-estimate; real measurements override the estimate',
          params: idParam,
          body: profilePatchSchema,
          response: { 200: profileAnswer.describe('The profile as corrected') },
        },
      },
      async (req) => ({ profile: await sizing.profiles.update(routeActor(req), req.params.id, req.body) }),
    );

    app.delete(
      '/size/profiles/:id',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'deleteSizeProfile',
          summary: 'Delete one of my size profiles',
          params: idParam,
          response: { 200: z.object({ deleted: z.literal(true) }).describe('The profile was deleted') },
        },
      },
      async (req) => {
        await sizing.profiles.remove(routeActor(req), req.params.id);
        return { deleted: true as const };
      },
    );

    app.post(
      '/size/recommend',
      {
        schema: {
          tags,
          operationId: 'recommendSize',
          summary:
            'Recommend a size of an apparel product: P(small/fit/large) per size, confidence, reasons per zone, avatar',
          body: recommendBody,
          response: {
            200: z.object({ recommendation: recommendationSchema }).describe('The recommendation'),
          },
        },
      },
      async (req) => ({ recommendation: await sizing.recommend(req.actor, req.body, req.ip) }),
    );

    app.post(
      '/orders/:id/fit-feedback',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'createFitFeedback',
          summary: 'Tell how a delivered item fit (once per order line); the size assistant learns from it',
          params: idParam,
          body: fitFeedbackBody,
          response: { 201: fitFeedbackSchema.describe('The feedback recorded') },
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(await sizing.fitFeedback(routeActor(req), req.params.id, req.body.skuId, req.body.fit)),
    );

    app.get(
      '/orders/:id/fit-feedback',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'listOrderFitFeedback',
          summary: 'How the lines of one of my orders fit, as I told it',
          params: idParam,
          response: { 200: orderFitSchema.describe('How each told line fit') },
        },
      },
      async (req) => sizing.orderFitFeedback(routeActor(req), req.params.id),
    );

    app.get(
      '/merchant/size-insights',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'getSizeInsights',
          summary:
            'Per apparel product: fit feedback, size refund rate, runs small/large, suggested chart correction',
          response: { 200: sizeInsightsSchema.describe('Size insights per apparel product') },
        },
      },
      async (req) => sizing.merchantInsights(routeStore(req)),
    );

    app.get(
      '/ops/size-metrics',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'getSizeMetrics',
          summary:
            'Size assistant: share of apparel orders with a recommendation, size refund rates, daily series',
          querystring: metricsQuery,
          response: { 200: sizeMetricsSchema.describe("The size assistant's metrics") },
        },
      },
      async (req) => sizing.opsMetrics(routeActor(req), req.query.days),
    );
  };
}
