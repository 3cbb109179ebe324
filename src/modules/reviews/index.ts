import { defineModule } from '../../platform/module.ts';
import { openRequestLines } from '../aftersale/index.ts';
import { storeSummaries } from '../merchants/index.ts';
import { orderLineTitles } from '../orders/index.ts';
import { moderationRoutes } from './moderation-routes.ts';
import { ReviewModerationService } from './moderation-service.ts';
import { reviewsRoutes } from './routes.ts';
import { ReviewsService } from './service.ts';

export { type MyReview, type PublicReview, publicReview } from './api-schema.ts';
export { seedReviewsDemo } from './demo-seed.ts';
export { DEFAULT_REVIEW_POLICY, type ReviewPolicy } from './policy.ts';
export { ratingInputs, type StoreRatingInputs } from './rating-inputs.ts';
export { averageOf, fitVerdict, publicView, reviewableOrder } from './service.ts';
export { REVIEW_TAGS, type ReviewTag } from './tags.ts';
export { moderationRoutes, ReviewModerationService, ReviewsService, reviewsRoutes };

declare module '../../platform/module.ts' {
  interface ServiceRegistry {
    reviews: ReviewsService;
    reviewModeration: ReviewModerationService;
  }
}

/**
 * Reviews of delivered order lines: ratings, text, photos, tags, the fit answer, follow-ups, default
 * reviews, the merchant's reply and reports, operator moderation, and the aggregates product pages read.
 * Publishes `review.created`.
 */
export const reviewsModule = defineModule({
  name: 'reviews',
  build: ({ db, clock, events, config, use }) => ({
    reviews: new ReviewsService({
      db,
      clock,
      events,
      dataDir: config.dataDir,
      orders: use('orders'),
      sizing: use('sizing'),
      identity: use('identity'),
      openAftersaleLines: openRequestLines,
    }),
    reviewModeration: new ReviewModerationService({
      db,
      clock,
      identity: use('identity'),
      storeNames: (ids) => storeSummaries(db, ids),
      lineTitles: (orderIds) => orderLineTitles(db, orderIds),
    }),
  }),
  routes: async ({ reviews, reviewModeration }, { api }) => {
    await api.register(reviewsRoutes(reviews));
    await api.register(moderationRoutes(reviewModeration));
  },
  tasks: ({ reviews }) => [
    {
      name: 'reviews.default-reviews',
      intervalMs: 60_000,
      drain: true,
      run: () => reviews.defaultReviewsDue(),
    },
  ],
});
