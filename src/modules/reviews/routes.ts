import type { FastifyInstance } from 'fastify';
import { routeActor, signedIn } from '../../platform/auth.ts';
import { errorResponse } from '../../platform/openapi.ts';
import { idParam, zodApi } from '../../platform/routes.ts';
import { MAX_UPLOAD_BYTES } from '../catalog/index.ts';
import {
  createReviewBody,
  followUpBody,
  myReviewPage,
  orderReviews,
  pageQuery,
  productReviewSummary,
  productReviewsQuery,
  publicReviewPage,
  reviewAnswer,
  reviewPolicyAnswer,
  storeReviewSummary,
  uploadedPhoto,
  uploadPhotoBody,
} from './api-schema.ts';
import { reviewPolicy } from './policy.ts';
import type { ReviewsService } from './service.ts';

const tags = ['reviews'];
/** A base64 data URL of the largest image, with room for the JSON around it. */
const UPLOAD_BODY_LIMIT = Math.ceil((MAX_UPLOAD_BYTES * 4) / 3) + 64 * 1024;
const limited = errorResponse('Too many tries in the last hour (`rate_limited`); Retry-After says when');
const badCursor = errorResponse('The cursor is not one this list gave (`invalid_cursor`)');

/** Buyer and public review routes. */
export function reviewsRoutes(reviews: ReviewsService) {
  return async (fastify: FastifyInstance) => {
    const app = zodApi(fastify);

    // ---- buyer ----

    app.post(
      '/reviews/photos',
      {
        config: signedIn('buyer'),
        bodyLimit: UPLOAD_BODY_LIMIT,
        schema: {
          tags,
          operationId: 'uploadReviewPhoto',
          summary: 'Upload a photo for a review: JSON {dataUrl} of a PNG/JPEG/WebP ≤ 2 MB → {url}',
          body: uploadPhotoBody.strict(),
          response: {
            201: uploadedPhoto.describe('The photo, mine to use in one review or follow-up'),
            400: errorResponse('Not a PNG, JPEG or WebP data URL (`unsupported_image`), or empty'),
            413: errorResponse('Larger than 2 MB (`image_too_large`)'),
            429: limited,
          },
        },
      },
      async (req, reply) =>
        reply.status(201).send(await reviews.uploadPhoto(routeActor(req), req.body.dataUrl)),
    );

    app.post(
      '/orders/:id/reviews',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'createReview',
          summary:
            'Review one line of my delivered order, once: rating, text, photos, tags, the fit answer, anonymous',
          params: idParam,
          body: createReviewBody,
          response: {
            201: reviewAnswer.describe('The review, visible at once (flagged ones go to moderation too)'),
            400: errorResponse(
              'Invalid input (`validation_failed`), or a photo that is not my unused upload (`invalid_photo`)',
            ),
            404: errorResponse('No such order of mine, or no such line in it (`not_found`)'),
            409: errorResponse(
              'The order has not been delivered (`not_delivered`), or the line is already reviewed (`review_exists`)',
            ),
            429: limited,
          },
        },
      },
      async (req, reply) =>
        reply.status(201).send(await reviews.create(routeActor(req), req.params.id, req.body)),
    );

    app.get(
      '/orders/:id/reviews',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'getOrderReviews',
          summary: 'The lines of my order with their review, whether one can be written, and the fit told',
          params: idParam,
          response: { 200: orderReviews, 404: errorResponse('No such order of mine (`not_found`)') },
        },
      },
      async (req) => reviews.orderReviews(routeActor(req), req.params.id),
    );

    app.post(
      '/reviews/:id/follow-up',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'addReviewFollowUp',
          summary: 'Add my one follow-up (追评) to my review, within the policy’s days',
          params: idParam,
          body: followUpBody,
          response: {
            200: reviewAnswer,
            400: errorResponse(
              'Invalid input (`validation_failed`), or a photo that is not my unused upload (`invalid_photo`)',
            ),
            404: errorResponse('No such review of mine (`not_found`)'),
            409: errorResponse(
              'The review has its follow-up (`follow_up_exists`), or the window is over (`follow_up_closed`)',
            ),
            429: limited,
          },
        },
      },
      async (req) => reviews.followUp(routeActor(req), req.params.id, req.body),
    );

    app.get(
      '/me/reviews',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'listMyReviews',
          summary: 'My reviews, newest first (hidden ones with the reason)',
          querystring: pageQuery,
          response: { 200: myReviewPage, 400: badCursor },
        },
      },
      async (req) => reviews.myReviews(routeActor(req), req.query),
    );

    // ---- public ----

    app.get(
      '/products/:id/reviews',
      {
        schema: {
          tags,
          operationId: 'listProductReviews',
          summary:
            'A product’s reviews: with photos first, then written, then default; newest first; filters',
          params: idParam,
          querystring: productReviewsQuery,
          response: { 200: publicReviewPage, 400: badCursor },
        },
      },
      async (req) => reviews.productReviews(req.params.id, req.query),
    );

    app.get(
      '/products/:id/review-summary',
      {
        schema: {
          tags,
          operationId: 'getProductReviewSummary',
          summary: 'A product’s rating, counts, tag chips, sizes bought and fit summary',
          params: idParam,
          response: { 200: productReviewSummary },
        },
      },
      async (req) => reviews.productSummary(req.params.id),
    );

    app.get(
      '/stores/:id/review-summary',
      {
        schema: {
          tags,
          operationId: 'getStoreReviewSummary',
          summary: 'A store’s rating over all its products and its share of positive reviews',
          params: idParam,
          response: { 200: storeReviewSummary },
        },
      },
      async (req) => reviews.storeSummary(req.params.id),
    );

    // ---- operator ----

    app.get(
      '/ops/reviews/policy',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'getReviewPolicy',
          summary: 'The review policy: default-review window and follow-up window (days)',
          response: { 200: reviewPolicyAnswer },
        },
      },
      async (req) => reviews.policyForOps(routeActor(req)),
    );

    app.put(
      '/ops/reviews/policy',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'updateReviewPolicy',
          summary: 'Replace the review policy (the whole record, validated)',
          body: reviewPolicy,
          response: { 200: reviewPolicyAnswer },
        },
      },
      async (req) => reviews.setPolicy(routeActor(req), req.body),
    );
  };
}
