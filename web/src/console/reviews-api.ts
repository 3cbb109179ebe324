/**
 * The consoles' view of reviews, moderation and the store experience score (issue 17). The pages use only
 * these functions and types, so the mapping from the server's answers lives in one place.
 */
import { api, type BodyOf, type QueryOf, type ResponseOf } from '../api/client.ts';

type StoreReviewList = ResponseOf<'/merchant/reviews', 'get'>;
export type StoreReviewQuery = QueryOf<'/merchant/reviews', 'get'>;
/** A review as its store's merchant sees it (hidden ones included). */
export type MerchantReview = StoreReviewList['items'][number];
export type Fit = NonNullable<MerchantReview['fit']>;
export type ReportReason = BodyOf<'/merchant/reviews/{id}/report', 'post'>['reason'];
export const REPORT_REASONS = [
  'abusive',
  'spam',
  'irrelevant',
  'privacy',
  'other',
] as const satisfies readonly ReportReason[];
export type StoreReviewPage = StoreReviewList;
export type ModerationPage = ResponseOf<'/ops/reviews/moderation', 'get'>;
/** A review as operators see it: the merchant's view, the store and the buyer's phone. */
export type ModerationItem = ModerationPage['items'][number];

/** Days before a silent buyer's default review, days a follow-up stays open. */
export type ReviewPolicy = BodyOf<'/ops/reviews/policy', 'put'>;

const id = (reviewId: string) => ({ path: { id: reviewId } });

export const reviewsApi = {
  listStore: (query: StoreReviewQuery, signal?: AbortSignal) =>
    api.get('/merchant/reviews', { params: { query }, signal }),
  reply: async (reviewId: string, body: string) =>
    (await api.post('/merchant/reviews/{id}/reply', { params: id(reviewId), body: { body } })).review,
  report: async (reviewId: string, reason: ReportReason, note: string) =>
    (await api.post('/merchant/reviews/{id}/report', { params: id(reviewId), body: { reason, note } }))
      .review,
  moderation: (state: 'pending' | 'resolved', cursor: string | undefined, signal?: AbortSignal) =>
    api.get('/ops/reviews/moderation', { params: { query: { state, cursor, limit: 20 } }, signal }),
  hide: (reviewId: string, reason: string) =>
    api.post('/ops/reviews/{id}/hide', { params: id(reviewId), body: { reason } }),
  dismiss: (reviewId: string) => api.post('/ops/reviews/{id}/dismiss', { params: id(reviewId) }),
  restore: (reviewId: string) => api.post('/ops/reviews/{id}/restore', { params: id(reviewId) }),
  removeReply: (reviewId: string, reason: string) =>
    api.post('/ops/reviews/{id}/remove-reply', { params: id(reviewId), body: { reason } }),
  policy: async (signal?: AbortSignal) => (await api.get('/ops/reviews/policy', { signal })).policy,
  savePolicy: async (body: ReviewPolicy) => (await api.put('/ops/reviews/policy', { body })).policy,
};

// ───────────────────────────── store experience score ─────────────────────────────

export const DIMENSIONS = ['product', 'logistics', 'service'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export type MyStoreExperience = ResponseOf<'/merchant/experience', 'get'>;
export type StoreExperience = MyStoreExperience['current'];
export type ExperienceScore = NonNullable<StoreExperience['score']>;
export type ExperienceInputs = NonNullable<MyStoreExperience['inputs']>;
export type ExperienceSuggestion = MyStoreExperience['suggestions'][number];
export type StoreExperienceRow = ResponseOf<'/ops/stores/experience', 'get'>['items'][number];

export const experienceApi = {
  mine: (signal?: AbortSignal) => api.get('/merchant/experience', { signal }),
  list: (cursor: string | undefined, signal?: AbortSignal) =>
    api.get('/ops/stores/experience', { params: { query: { cursor, limit: 50 } }, signal }),
  recompute: () => api.post('/ops/stores/experience/recompute'),
};
