import type { FastifyInstance } from 'fastify';
import { routeActor, routeStore, signedIn } from '../../platform/auth.ts';
import { errorResponse } from '../../platform/openapi.ts';
import { idParam, zodApi } from '../../platform/routes.ts';
import {
  hideBody,
  merchantReviewAnswer,
  moderatedReviewAnswer,
  moderationList,
  moderationQuery,
  removeReplyBody,
  replyBody,
  reportBody,
  storeReviewList,
  storeReviewsQuery,
} from './moderation-schema.ts';
import type { ReviewModerationService } from './moderation-service.ts';

const tags = ['reviews'];

/**
 * Merchant (list, reply, report) and operator (moderation queue, hide, dismiss, remove reply, restore)
 * review routes.
 * There is no route to edit or delete a review: merchants cannot.
 */
export function moderationRoutes(moderation: ReviewModerationService) {
  return async (fastify: FastifyInstance) => {
    const app = zodApi(fastify);

    app.get(
      '/merchant/reviews',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'listStoreReviews',
          summary:
            "My store's reviews, newest first (hidden ones included), by rating, product or whether replied, with counts",
          querystring: storeReviewsQuery,
          response: { 200: storeReviewList },
        },
      },
      async (req) => moderation.listStoreReviews(routeStore(req), req.query),
    );

    app.post(
      '/merchant/reviews/:id/reply',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'replyToReview',
          summary:
            "The store's one public reply to a review (links or contact details send it to moderation)",
          params: idParam,
          body: replyBody,
          response: {
            200: merchantReviewAnswer,
            409: errorResponse('`reply_exists`: the review already has a reply'),
          },
        },
      },
      async (req) => ({
        review: await moderation.replyToReview(routeStore(req), req.params.id, req.body.body),
      }),
    );

    app.post(
      '/merchant/reviews/:id/report',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'reportReview',
          summary: "Report an abusive review to the platform's operators, once",
          params: idParam,
          body: reportBody,
          response: {
            201: merchantReviewAnswer,
            409: errorResponse('`already_reported`, or `already_hidden`: an operator hid it already'),
          },
        },
      },
      async (req, reply) => {
        const review = await moderation.reportReview(routeStore(req), req.params.id, req.body);
        return reply.code(201).send({ review });
      },
    );

    app.get(
      '/ops/reviews/moderation',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'listReviewModeration',
          summary:
            'The moderation queue: reviews reported by their store or with links or contact details (pending), or decided (resolved)',
          querystring: moderationQuery,
          response: { 200: moderationList },
        },
      },
      async (req) => moderation.listModeration(routeActor(req), req.query),
    );

    app.post(
      '/ops/reviews/:id/hide',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'hideReview',
          summary: 'Hide a review with a reason the buyer sees; it leaves the ratings and counts',
          params: idParam,
          body: hideBody,
          response: {
            200: moderatedReviewAnswer,
            409: errorResponse('`already_hidden`'),
          },
        },
      },
      async (req) => ({
        review: await moderation.hideReview(routeActor(req), req.params.id, req.body.reason),
      }),
    );

    app.post(
      '/ops/reviews/:id/dismiss',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'dismissReviewFlags',
          summary: 'Nothing wrong: the review stays as it is and leaves the queue; its report is dismissed',
          params: idParam,
          response: {
            200: moderatedReviewAnswer,
            409: errorResponse('`not_pending`: nothing is pending on this review'),
          },
        },
      },
      async (req) => ({ review: await moderation.dismissReviewFlags(routeActor(req), req.params.id) }),
    );

    app.post(
      '/ops/reviews/:id/remove-reply',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'removeReviewReply',
          summary:
            "Remove the store's reply from view (the merchant sees why); the review, its rating and a report on it stay",
          params: idParam,
          body: removeReplyBody,
          response: {
            200: moderatedReviewAnswer,
            409: errorResponse('`no_reply`: the review has no reply, or it was removed already'),
          },
        },
      },
      async (req) => ({
        review: await moderation.removeReviewReply(routeActor(req), req.params.id, req.body.reason),
      }),
    );

    app.post(
      '/ops/reviews/:id/restore',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'restoreReview',
          summary: 'Show a hidden review again; it counts in the ratings again',
          params: idParam,
          response: {
            200: moderatedReviewAnswer,
            409: errorResponse('`not_hidden`'),
          },
        },
      },
      async (req) => ({ review: await moderation.restoreReview(routeActor(req), req.params.id) }),
    );
  };
}
