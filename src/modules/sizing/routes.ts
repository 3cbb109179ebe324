import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireActor, requireMerchantStore, signedIn } from '../../platform/auth.ts';
import { idParam, zodApi } from '../../platform/routes.ts';
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

export function sizingRoutes(sizing: SizingService) {
  return async (fastify: FastifyInstance) => {
    const app = zodApi(fastify);

    app.get(
      '/size/profiles',
      { config: signedIn('buyer'), schema: { tags, summary: 'My size profiles (self, partner, child …)' } },
      async (req) => ({
        profiles: await sizing.profiles.list(requireActor(req, 'buyer')),
      }),
    );

    app.post(
      '/size/profiles',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          summary: 'Create a size profile from the answers (the body is estimated, with uncertainty)',
          body: profileInputSchema,
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send({ profile: await sizing.profiles.create(requireActor(req, 'buyer'), req.body) }),
    );

    app.get(
      '/size/profiles/:id',
      { config: signedIn('buyer'), schema: { tags, summary: 'One of my size profiles', params: idParam } },
      async (req) => ({ profile: await sizing.profiles.get(requireActor(req, 'buyer'), req.params.id) }),
    );

    app.patch(
      '/size/profiles/:id',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          summary: 'Correct a size profile: new answers re-estimate; real measurements override the estimate',
          params: idParam,
          body: profilePatchSchema,
        },
      },
      async (req) => ({
        profile: await sizing.profiles.update(requireActor(req, 'buyer'), req.params.id, req.body),
      }),
    );

    app.delete(
      '/size/profiles/:id',
      {
        config: signedIn('buyer'),
        schema: { tags, summary: 'Delete one of my size profiles', params: idParam },
      },
      async (req) => {
        await sizing.profiles.remove(requireActor(req, 'buyer'), req.params.id);
        return { deleted: true };
      },
    );

    app.post(
      '/size/recommend',
      {
        schema: {
          tags,
          summary:
            'Recommend a size of an apparel product: P(small/fit/large) per size, confidence, reasons per zone, avatar',
          body: recommendBody,
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
          summary: 'Tell how a delivered item fit (once per order line); the size assistant learns from it',
          params: idParam,
          body: fitFeedbackBody,
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(
            await sizing.fitFeedback(requireActor(req, 'buyer'), req.params.id, req.body.skuId, req.body.fit),
          ),
    );

    app.get(
      '/orders/:id/fit-feedback',
      {
        config: signedIn('buyer'),
        schema: { tags, summary: 'How the lines of one of my orders fit, as I told it', params: idParam },
      },
      async (req) => sizing.orderFitFeedback(requireActor(req, 'buyer'), req.params.id),
    );

    app.get(
      '/merchant/size-insights',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          summary:
            'Per apparel product: fit feedback, size refund rate, runs small/large, suggested chart correction',
        },
      },
      async (req) => sizing.merchantInsights(requireMerchantStore(req)),
    );

    app.get(
      '/ops/size-metrics',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          summary:
            'Size assistant: share of apparel orders with a recommendation, size refund rates, daily series',
          querystring: metricsQuery,
        },
      },
      async (req) => sizing.opsMetrics(requireActor(req, 'operator'), req.query.days),
    );
  };
}
