import { z } from 'zod';
import { multiLineText, singleLineText } from '../../platform/text.ts';
import { publicReview } from './api-schema.ts';
import { REPORT_REASONS } from './tables.ts';

/**
 * The merchant's and the operators' side of reviews: what their routes take and answer. The public part
 * of a review (`PublicReview`) is the buyer side's shape; a merchant sees the author as shown publicly.
 */

const when = z.iso.datetime();

export const reviewReportView = z.object({
  reason: z.enum(REPORT_REASONS),
  note: z.string(),
  createdAt: when,
  resolution: z
    .enum(['hidden', 'dismissed'])
    .nullable()
    .meta({ description: 'What an operator decided; null while pending' }),
});

const merchantReviewFields = {
  orderId: z.guid(),
  skuId: z.guid(),
  productTitle: z.string(),
  status: z.enum(['visible', 'hidden']),
  hiddenReason: z.string().nullable().meta({ description: "The operator's reason (the buyer sees it)" }),
  flags: z.array(z.string()).meta({
    description:
      'What the contact detector found in the text, reply or follow-up: link, phone, wechat, qq, email',
  }),
  moderation: z.enum(['none', 'pending', 'resolved']).meta({
    description: "pending: flagged or reported, in the operators' queue; resolved: an operator decided",
  }),
  report: reviewReportView.nullable().meta({ description: "The merchant's report, when there is one" }),
  replyRemoved: z.object({ reason: z.string(), removedAt: when }).nullable().meta({
    description:
      "An operator removed the store's reply (then `reply` is null and the store cannot reply again), and why",
  }),
};

/** A review as its store's merchant sees it (hidden ones included). */
export const merchantReviewView = publicReview.extend(merchantReviewFields).meta({ id: 'MerchantReview' });
export type MerchantReviewView = z.infer<typeof merchantReviewView>;

/** A review as operators see it: the merchant's view, the store and the buyer's phone. */
export const moderatedReviewView = publicReview
  .extend({
    ...merchantReviewFields,
    storeId: z.guid(),
    storeName: z.string(),
    buyerPhone: z.string().meta({ description: "The buyer's full phone number (operators only)" }),
    removedReplyBody: z
      .string()
      .nullable()
      .meta({ description: "The text of the store's reply an operator removed, kept for the record" }),
    hiddenAt: when.nullable(),
    moderatedAt: when.nullable().meta({ description: 'When an operator last decided on it' }),
  })
  .meta({ id: 'ModeratedReview' });
export type ModeratedReviewView = z.infer<typeof moderatedReviewView>;

export const merchantReviewAnswer = z.object({ review: merchantReviewView });
export const moderatedReviewAnswer = z.object({ review: moderatedReviewView });

const nextCursor = z
  .string()
  .nullable()
  .meta({ description: 'Pass as `cursor` for the next page; null at the end' });

export const storeReviewList = z
  .object({
    items: z.array(merchantReviewView).meta({ description: 'Newest first' }),
    nextCursor,
    counts: z.object({
      all: z.number().int().meta({ description: 'Every review of the store (hidden ones included)' }),
      unreplied: z.number().int().meta({ description: 'Written (not default) reviews without a reply' }),
      lowRating: z.number().int().meta({ description: 'Reviews rated 1 or 2 stars' }),
    }),
  })
  .meta({ id: 'StoreReviewList' });
export type StoreReviewList = z.infer<typeof storeReviewList>;

export const moderationList = z
  .object({
    items: z.array(moderatedReviewView).meta({
      description: 'pending: oldest first (the queue); resolved: the latest decisions first',
    }),
    nextCursor,
    pendingCount: z.number().int().meta({ description: 'Reviews waiting for an operator' }),
  })
  .meta({ id: 'ReviewModerationList' });
export type ModerationList = z.infer<typeof moderationList>;

const cursor = z.string().max(200).optional().meta({ description: 'The `nextCursor` of the previous page' });
const limit = z.coerce.number().int().min(1).max(50).default(20);
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const storeReviewsQuery = z
  .object({
    rating: z.coerce.number().int().min(1).max(5).optional(),
    replied: bool.optional().meta({
      description: 'true: replied; false: written reviews still waiting for a reply (default ones left out)',
    }),
    productId: z.uuid().optional(),
    cursor,
    limit,
  })
  .strict();
export type StoreReviewsQuery = z.infer<typeof storeReviewsQuery>;

export const moderationQuery = z
  .object({
    state: z.enum(['pending', 'resolved']).default('pending'),
    cursor,
    limit,
  })
  .strict();
export type ModerationQuery = z.infer<typeof moderationQuery>;

export const replyBody = z.object({ body: multiLineText({ min: 1, max: 500 }) }).strict();
export const reportBody = z
  .object({
    reason: z.enum(REPORT_REASONS),
    note: multiLineText({ max: 200 }).default(''),
  })
  .strict();
export type ReportInput = z.infer<typeof reportBody>;
export const hideBody = z
  .object({
    reason: multiLineText({ min: 1, max: 200 }).meta({ description: 'Why it is hidden: the buyer sees it' }),
  })
  .strict();
export const removeReplyBody = z
  .object({
    reason: singleLineText({ min: 1, max: 200 }).meta({
      description: "Why the store's reply is removed: the merchant sees it",
    }),
  })
  .strict();
