import { z } from 'zod';
import { multiLineText, singleLineText } from '../../platform/text.ts';
import { reviewPolicy } from './policy.ts';
import { REVIEW_TAGS } from './tags.ts';

const when = z.iso.datetime();
export const reviewFit = z.enum(['small', 'fit', 'large']);

/** A photo of a review: an upload of `POST /reviews/photos`, as the URL it is served at. */
export const photoUrl = z
  .string()
  .max(80)
  .regex(/^\/media\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.(png|jpg|webp)$/, {
    message: 'a photo uploaded with POST /reviews/photos (/media/<file>)',
  });
const photoList = z
  .array(photoUrl)
  .max(9)
  .refine((p) => new Set(p).size === p.length, 'each photo once');

const tagList = z
  .array(z.enum(REVIEW_TAGS))
  .max(10)
  .refine((t) => new Set(t).size === t.length, 'each tag once');

// ---- requests ----

export const createReviewBody = z
  .object({
    skuId: z.uuid(),
    rating: z.number().int().min(1).max(5).meta({ description: 'Whole stars, 1–5' }),
    body: multiLineText({ max: 500 }).default('').meta({ description: 'What the buyer says (may be empty)' }),
    tags: tagList.default([]),
    photos: photoList.default([]).meta({ description: 'Up to 9 of my unused uploads' }),
    fit: reviewFit.optional().meta({
      description:
        'How it fit (garments); ignored when the line’s fit was already told to the size assistant',
    }),
    anonymous: z.boolean().default(false).meta({ description: 'Show the author as anonymous' }),
  })
  .strict();

export const followUpBody = z
  .object({
    body: multiLineText({ min: 1, max: 500 }),
    photos: photoList.default([]),
  })
  .strict();

export const uploadPhotoBody = z.object({
  dataUrl: z.string().max(3_000_000).meta({ description: 'A PNG, JPEG or WebP data URL of at most 2 MB' }),
});

const limit = z.coerce.number().int().min(1).max(50).default(20);
const cursor = z.string().max(200).optional().meta({ description: 'nextCursor of the page before' });
export const pageQuery = z.object({ cursor, limit }).strict();

export const productReviewsQuery = z
  .object({
    withPhotos: z
      .enum(['true', 'false'])
      .optional()
      .transform((v) => v === 'true')
      .meta({ description: 'Only reviews with photos' }),
    size: singleLineText({ min: 1, max: 40 })
      .optional()
      .meta({ description: 'Only reviews of this size bought' }),
    rating: z.coerce.number().int().min(1).max(5).optional(),
    cursor,
    limit,
  })
  .strict();

// ---- answers ----

export const publicReview = z
  .object({
    id: z.guid(),
    productId: z.guid(),
    rating: z.number().int().min(1).max(5),
    body: z.string().meta({ description: "'' for a default review or none written" }),
    tags: z.array(z.enum(REVIEW_TAGS)),
    photos: z.array(z.string()),
    size: z.string(),
    color: z.string(),
    fit: reviewFit.nullable(),
    isDefault: z.boolean().meta({ description: 'Written by the platform when the buyer said nothing' }),
    author: z.object({
      anonymous: z.boolean(),
      name: z.string().nullable().meta({ description: 'Masked phone (138****5678); null when anonymous' }),
    }),
    createdAt: when,
    followUp: z.object({ body: z.string(), photos: z.array(z.string()), createdAt: when }).nullable(),
    reply: z
      .object({ body: z.string(), createdAt: when })
      .nullable()
      .meta({ description: "The store's reply; null when there is none or an operator removed it" }),
  })
  .meta({ id: 'PublicReview' });
export type PublicReview = z.infer<typeof publicReview>;

export const myReview = publicReview.extend({
  orderId: z.guid(),
  skuId: z.guid(),
  productTitle: z.string(),
  status: z.enum(['visible', 'hidden']),
  hiddenReason: z.string().nullable().meta({ description: 'Why an operator hid it' }),
  followUpUntil: when.nullable().meta({
    description: 'Last moment a follow-up can be added; null when added or closed',
  }),
});
export type MyReview = z.infer<typeof myReview>;

export const reviewAnswer = z.object({ review: myReview });

export const uploadedPhoto = z.object({
  url: z.string().meta({ description: 'Where the photo is served: `/media/<file>`; put it in a review' }),
});

export const orderReviews = z.object({
  lines: z.array(
    z.object({
      skuId: z.guid(),
      productId: z.guid(),
      title: z.string(),
      size: z.string(),
      color: z.string(),
      image: z.string(),
      reviewable: z.boolean().meta({ description: 'I may write its review now' }),
      fitTold: reviewFit.nullable().meta({
        description: 'The fit already told to the size assistant: the form does not ask it again',
      }),
      review: myReview.nullable(),
    }),
  ),
});

export const myReviewPage = z.object({ items: z.array(myReview), nextCursor: z.string().nullable() });
export const publicReviewPage = z.object({
  items: z.array(publicReview),
  nextCursor: z.string().nullable(),
});

const ratingCounts = z.object({
  '1': z.number().int(),
  '2': z.number().int(),
  '3': z.number().int(),
  '4': z.number().int(),
  '5': z.number().int(),
});

export const productReviewSummary = z
  .object({
    productId: z.guid(),
    count: z.number().int(),
    ratingSum: z.number().int(),
    average: z.number().nullable().meta({ description: 'Mean rating, one decimal; null without reviews' }),
    ratingCounts,
    withPhotos: z.number().int(),
    defaultCount: z.number().int(),
    tags: z.array(z.object({ tag: z.enum(REVIEW_TAGS), count: z.number().int() })),
    sizes: z.array(z.object({ size: z.string(), count: z.number().int() })),
    fit: z.object({
      small: z.number().int(),
      trueToSize: z.number().int(),
      large: z.number().int(),
      verdict: z.enum(['runs_small', 'true_to_size', 'runs_large']).nullable().meta({
        description: 'With at least 3 fit answers, the one more than half gave',
      }),
    }),
  })
  .meta({ id: 'ProductReviewSummary' });

export const storeReviewSummary = z
  .object({
    storeId: z.guid(),
    count: z.number().int(),
    average: z.number().nullable(),
    ratingCounts,
    positiveRate: z.number().nullable().meta({ description: 'Share of 4–5 star reviews (0–1)' }),
  })
  .meta({ id: 'StoreReviewSummary' });

export const reviewPolicyAnswer = z.object({
  policy: reviewPolicy,
  updatedAt: when.nullable().meta({ description: 'null while the defaults hold' }),
});
