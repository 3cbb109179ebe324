import type { Kysely } from 'kysely';

export type ReviewFit = 'small' | 'fit' | 'large';
export type ReviewStatus = 'visible' | 'hidden';
export type ModerationState = 'none' | 'pending' | 'resolved';
export const REPORT_REASONS = ['abusive', 'spam', 'irrelevant', 'privacy', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

export interface ReviewRow {
  id: string;
  order_id: string;
  sku_id: string;
  product_id: string;
  store_id: string;
  buyer_id: string;
  size: string;
  color: string;
  rating: number;
  body: string;
  tags: string[];
  photos: string[];
  fit: ReviewFit | null;
  anonymous: boolean;
  is_default: boolean;
  created_at: Date;
  follow_up_body: string | null;
  follow_up_photos: string[];
  follow_up_at: Date | null;
  reply_body: string | null;
  replied_at: Date | null;
  replied_by: string | null;
  /** Migration 206: an operator removed the reply from view (its text is kept for the record). */
  reply_removed_reason: string | null;
  reply_removed_at: Date | null;
  status: ReviewStatus;
  flags: string[];
  moderation: ModerationState;
  hidden_reason: string | null;
  hidden_at: Date | null;
  hidden_by: string | null;
}

interface StatsColumns {
  review_count: number;
  rating_sum: number;
  r1: number;
  r2: number;
  r3: number;
  r4: number;
  r5: number;
  with_photos: number;
  default_count: number;
  fit_small: number;
  fit_true: number;
  fit_large: number;
}

/** The tables the reviews' migrations create; no other module queries them. */
export interface ReviewsTables {
  reviews: ReviewRow;
  review_reports: {
    review_id: string;
    store_id: string;
    reported_by: string;
    reason: ReportReason;
    note: string;
    created_at: Date;
    resolution: 'hidden' | 'dismissed' | null;
    resolved_at: Date | null;
    resolved_by: string | null;
  };
  review_photo_uploads: { url: string; buyer_id: string; created_at: Date; used_by: string | null };
  review_product_stats: StatsColumns & { product_id: string; store_id: string };
  review_store_stats: StatsColumns & { store_id: string };
  review_tag_counts: { product_id: string; tag: string; count: number };
  review_size_counts: { product_id: string; size: string; count: number };
  review_policy: { id: number; policy: unknown; updated_by: string; updated_at: Date };
  review_default_cursor: { id: number; delivered_at: Date; order_id: string };
}

/** The database as reviews sees it: its own tables only. */
export type ReviewsDb = Kysely<ReviewsTables>;
