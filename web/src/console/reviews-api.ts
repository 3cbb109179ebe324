/**
 * The consoles' view of reviews, moderation and the store experience score (issue 17). The pages use only
 * these functions and types, so the mapping from the server's answers lives in one place.
 */
import { api } from '../api/client.ts';

// Until the generated client has these routes, calls go through an untyped door.
const raw = api as unknown as {
  get: (path: string, init?: object) => Promise<unknown>;
  post: (path: string, init?: object) => Promise<unknown>;
  put: (path: string, init?: object) => Promise<unknown>;
};

export type Fit = 'small' | 'fit' | 'large';

export interface PublicReview {
  id: string;
  productId: string;
  rating: number;
  body: string;
  tags: string[];
  photos: string[];
  size: string | null;
  color: string | null;
  fit: Fit | null;
  isDefault: boolean;
  author: { anonymous: boolean; name: string | null };
  createdAt: string;
  followUp: { body: string; photos: string[]; createdAt: string } | null;
  reply: { body: string; createdAt: string } | null;
}

export const REPORT_REASONS = ['abusive', 'spam', 'irrelevant', 'privacy', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

export interface MerchantReview extends PublicReview {
  orderId: string;
  skuId: string;
  productTitle: string;
  status: 'visible' | 'hidden';
  hiddenReason: string | null;
  flags: string[];
  moderation: 'none' | 'pending' | 'resolved';
  report: {
    reason: string;
    note: string;
    createdAt: string;
    resolution: 'hidden' | 'dismissed' | null;
  } | null;
}

export interface ModerationItem extends MerchantReview {
  storeId: string;
  storeName: string;
  buyerPhone: string;
}

export interface StoreReviewQuery {
  rating?: number;
  replied?: boolean;
  productId?: string;
  cursor?: string;
  limit?: number;
}

export interface StoreReviewPage {
  items: MerchantReview[];
  nextCursor: string | null;
  counts: { all: number; unreplied: number; lowRating: number };
}

export interface ModerationPage {
  items: ModerationItem[];
  nextCursor: string | null;
  pendingCount: number;
}

export interface ReviewPolicy {
  defaultReviewDays: number;
  followUpDays: number;
}

const id = (reviewId: string) => ({ path: { id: reviewId } });

export const reviewsApi = {
  listStore: (query: StoreReviewQuery, signal?: AbortSignal) =>
    raw.get('/merchant/reviews', { params: { query }, signal }) as Promise<StoreReviewPage>,
  reply: async (reviewId: string, body: string) =>
    (
      (await raw.post('/merchant/reviews/{id}/reply', { params: id(reviewId), body: { body } })) as {
        review: MerchantReview;
      }
    ).review,
  report: async (reviewId: string, reason: ReportReason, note: string) =>
    (
      (await raw.post('/merchant/reviews/{id}/report', { params: id(reviewId), body: { reason, note } })) as {
        review: MerchantReview;
      }
    ).review,
  moderation: (state: 'pending' | 'resolved', cursor: string | undefined, signal?: AbortSignal) =>
    raw.get('/ops/reviews/moderation', {
      params: { query: { state, cursor, limit: 20 } },
      signal,
    }) as Promise<ModerationPage>,
  hide: (reviewId: string, reason: string) =>
    raw.post('/ops/reviews/{id}/hide', { params: id(reviewId), body: { reason } }),
  dismiss: (reviewId: string) => raw.post('/ops/reviews/{id}/dismiss', { params: id(reviewId) }),
  restore: (reviewId: string) => raw.post('/ops/reviews/{id}/restore', { params: id(reviewId) }),
  policy: (signal?: AbortSignal) => raw.get('/ops/reviews/policy', { signal }) as Promise<ReviewPolicy>,
  savePolicy: (body: ReviewPolicy) => raw.put('/ops/reviews/policy', { body }) as Promise<ReviewPolicy>,
};

// ───────────────────────────── store experience score ─────────────────────────────

export const DIMENSIONS = ['product', 'logistics', 'service'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export interface ExperienceScore {
  overall: number;
  product: number;
  logistics: number;
  service: number;
}

export interface StoreExperience {
  storeId: string;
  day: string | null;
  score: ExperienceScore | null;
  enoughData: Record<Dimension, boolean>;
}

export interface MyStoreExperience {
  current: StoreExperience;
  history: Array<{ day: string } & ExperienceScore>;
  inputs: Record<string, unknown>;
  suggestions: Array<{ dimension: Dimension; code: string; params: Record<string, number> }>;
}

export interface StoreExperienceRow {
  storeId: string;
  storeName: string;
  day: string | null;
  score: ExperienceScore | null;
  enoughData: Record<Dimension, boolean>;
}

export const experienceApi = {
  mine: (signal?: AbortSignal) => raw.get('/merchant/experience', { signal }) as Promise<MyStoreExperience>,
  list: (cursor: string | undefined, signal?: AbortSignal) =>
    raw.get('/ops/stores/experience', { params: { query: { cursor, limit: 50 } }, signal }) as Promise<{
      items: StoreExperienceRow[];
      nextCursor: string | null;
    }>,
  recompute: () =>
    raw.post('/ops/stores/experience/recompute', {}) as Promise<{ day: string; stores: number }>,
};
