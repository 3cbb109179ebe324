import { z } from 'zod';

/**
 * The operator's review policy (one record, `GET/PUT /ops/reviews/policy`); the defaults hold until an
 * operator saves one.
 */
export const reviewPolicy = z
  .object({
    defaultReviewDays: z.number().int().min(1).max(60).meta({
      description:
        'A delivered line the buyer has not reviewed this many days after delivery gets a default positive review',
    }),
    followUpDays: z.number().int().min(1).max(180).meta({
      description: 'A buyer may add one follow-up review within this many days of the review',
    }),
  })
  .strict()
  .meta({ id: 'ReviewPolicy' });
export type ReviewPolicy = z.infer<typeof reviewPolicy>;

export const DEFAULT_REVIEW_POLICY: ReviewPolicy = { defaultReviewDays: 15, followUpDays: 30 };

/** A stored policy merged over the defaults (a field added later keeps its default). */
export function reviewPolicyFrom(stored: unknown): ReviewPolicy {
  if (!stored || typeof stored !== 'object') return DEFAULT_REVIEW_POLICY;
  const parsed = reviewPolicy.safeParse({ ...DEFAULT_REVIEW_POLICY, ...(stored as object) });
  return parsed.success ? parsed.data : DEFAULT_REVIEW_POLICY;
}
