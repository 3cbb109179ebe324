/** Types and calls of the reviews API (buyer and public side) and the store experience score. */

import { api, type BodyOf, type ResponseOf } from '../../api.ts';

export type OrderReviewLine = ResponseOf<'/orders/{id}/reviews', 'get'>['lines'][number];
export type MyReview = ResponseOf<'/me/reviews', 'get'>['items'][number];
export type PublicReview = ResponseOf<'/products/{id}/reviews', 'get'>['items'][number];
export type ProductReviewSummary = ResponseOf<'/products/{id}/review-summary', 'get'>;
export type StoreReviewSummary = ResponseOf<'/stores/{id}/review-summary', 'get'>;
export type StoreExperience = ResponseOf<'/stores/{id}/experience', 'get'>;
export type NewReview = BodyOf<'/orders/{id}/reviews', 'post'>;
export type ReviewTag = NonNullable<NewReview['tags']>[number];
export type ReviewFit = NonNullable<NewReview['fit']>;
export type ProductReviewQuery = {
  withPhotos?: boolean;
  size?: string;
  rating?: number;
};

/** The tags a buyer may pick, in the server's order (src/modules/reviews/tags.ts). */
export const REVIEW_TAGS: readonly ReviewTag[] = [
  'quality_good',
  'as_described',
  'good_value',
  'nice_fabric',
  'comfortable',
  'fast_delivery',
  'good_packaging',
  'good_service',
  'poor_quality',
  'not_as_described',
  'slow_delivery',
];
export const REVIEW_FITS: readonly ReviewFit[] = ['small', 'fit', 'large'];
export const MAX_PHOTOS = 9;
export const MAX_BODY = 500;
export const MAX_PHOTO_BYTES = 2 * 1024 * 1024;
export const PHOTO_TYPES = /^image\/(png|jpeg|webp)$/;

export const reviewsApi = {
  orderLines: (orderId: string, signal?: AbortSignal) =>
    api.get('/orders/{id}/reviews', { params: { path: { id: orderId } }, signal }).then((r) => r.lines),
  create: (orderId: string, body: NewReview) =>
    api.post('/orders/{id}/reviews', { params: { path: { id: orderId } }, body }).then((r) => r.review),
  followUp: (reviewId: string, body: BodyOf<'/reviews/{id}/follow-up', 'post'>) =>
    api.post('/reviews/{id}/follow-up', { params: { path: { id: reviewId } }, body }).then((r) => r.review),
  mine: (cursor: string | undefined, signal?: AbortSignal) =>
    api.get('/me/reviews', { params: { query: { cursor, limit: 20 } }, signal }),
  uploadPhoto: (dataUrl: string) => api.post('/reviews/photos', { body: { dataUrl } }).then((r) => r.url),
  productSummary: (productId: string, signal?: AbortSignal) =>
    api.get('/products/{id}/review-summary', { params: { path: { id: productId } }, signal }),
  productReviews: (
    productId: string,
    q: ProductReviewQuery,
    cursor: string | undefined,
    signal?: AbortSignal,
  ) =>
    api.get('/products/{id}/reviews', {
      params: {
        path: { id: productId },
        query: {
          withPhotos: q.withPhotos ? 'true' : undefined,
          size: q.size,
          rating: q.rating,
          cursor,
          limit: 10,
        },
      },
      signal,
    }),
  storeSummary: (storeId: string, signal?: AbortSignal) =>
    api.get('/stores/{id}/review-summary', { params: { path: { id: storeId } }, signal }),
  storeExperience: (storeId: string, signal?: AbortSignal) =>
    api.get('/stores/{id}/experience', { params: { path: { id: storeId } }, signal }),
};

/** Why a picked file cannot be a review photo (checked before upload; the server checks again). */
export function photoProblem(file: File): 'type' | 'size' | null {
  if (!PHOTO_TYPES.test(file.type)) return 'type';
  if (file.size > MAX_PHOTO_BYTES) return 'size';
  return null;
}

export function readDataUrl(file: File): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}
