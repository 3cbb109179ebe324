import { z } from 'zod';
import { couponSchema } from '../pricing/index.ts';

export const FOLLOW_SOURCES = ['live', 'video', 'store', 'coupon', 'product', 'other'] as const;
export const followSource = z.enum(FOLLOW_SOURCES).meta({
  description: 'Where the buyer followed from: live room, short video, store page, coupon, product page',
});
export type FollowSource = z.infer<typeof followSource>;

export const followBody = z.object({ source: followSource }).strict();

export const followState = z
  .object({
    following: z
      .boolean()
      .meta({ description: 'Whether I follow the store (false when not signed in as a buyer)' }),
    fans: z.number().int().nonnegative().meta({ description: "The store's fans now" }),
  })
  .meta({ id: 'FollowState' });
export type FollowState = z.infer<typeof followState>;

export const followAnswer = followState
  .extend({
    couponsGranted: z.array(couponSchema).meta({
      description: "The store's follow-store coupons this follow granted (new customers, once per coupon)",
    }),
  })
  .meta({ id: 'FollowAnswer' });
export type FollowAnswer = z.infer<typeof followAnswer>;

export const followedStore = z.object({
  storeId: z.guid(),
  name: z.string(),
  fans: z.number().int().nonnegative(),
  followedAt: z.iso.datetime(),
});
export type FollowedStore = z.infer<typeof followedStore>;
export const myFollows = z.object({
  items: z.array(followedStore).meta({ description: 'Newest follow first, at most 200' }),
});

export const planSettingsSchema = z
  .object({
    targetPct: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .meta({ description: 'Target growth over the start, % (default 50)' }),
    days: z.number().int().min(1).max(365).meta({ description: 'How long a plan runs (default 30)' }),
    minGain: z
      .number()
      .int()
      .min(0)
      .max(100_000)
      .meta({ description: 'The target is at least start + this (default 10)' }),
    maxStoreAgeDays: z
      .number()
      .int()
      .min(1)
      .max(365)
      .meta({ description: 'Stores opened at most this many days ago may enroll (default 30)' }),
    impressionsPerFan: z
      .number()
      .int()
      .min(0)
      .max(100_000)
      .meta({ description: 'Extra impressions a day per fan a store is behind its line (default 200)' }),
    maxDailyImpressions: z
      .number()
      .int()
      .min(0)
      .max(10_000_000)
      .meta({ description: 'The most extra impressions a store gets a day (default 5000)' }),
  })
  .strict()
  .meta({ id: 'FanPlanSettings' });
export type PlanSettingsInput = z.infer<typeof planSettingsSchema>;

export const fanPlanView = z
  .object({
    storeId: z.guid(),
    startedOn: z.iso.date(),
    endsOn: z.iso.date().meta({ description: 'The first day after the plan' }),
    startFans: z.number().int().nonnegative(),
    targetFans: z.number().int().positive(),
    fans: z.number().int().nonnegative(),
    expectedFans: z
      .number()
      .int()
      .nonnegative()
      .meta({ description: 'Where the straight line to the target is today' }),
    progressPct: z.number().int().min(0).max(100).meta({ description: 'Share of the gain reached, %' }),
    daysLeft: z.number().int().nonnegative(),
    status: z.enum(['active', 'met', 'ended']),
    boostImpressions: z
      .number()
      .int()
      .nonnegative()
      .meta({ description: "Today's extra exposure for being behind" }),
  })
  .meta({ id: 'FanPlan' });
export type FanPlanView = z.infer<typeof fanPlanView>;

export const planStoreList = z
  .object({
    items: z.array(fanPlanView.extend({ storeName: z.string() })),
  })
  .meta({ id: 'FanPlanStores' });

export const fansQuery = z.object({
  days: z.coerce
    .number()
    .int()
    .min(7)
    .max(365)
    .default(30)
    .meta({ description: 'Days of the series (default 30)' }),
});

export const merchantFans = z.object({
  fans: z.number().int().nonnegative(),
  newFans: z.number().int().nonnegative().meta({ description: 'Follows in the period' }),
  unfollows: z.number().int().nonnegative().meta({ description: 'Unfollows in the period' }),
  series: z.array(
    z.object({
      day: z.iso.date(),
      fans: z.number().int(),
      newFans: z.number().int().nonnegative(),
      unfollows: z.number().int().nonnegative(),
    }),
  ),
  bySource: z.array(z.object({ source: followSource, newFans: z.number().int().nonnegative() })),
  recent: z
    .array(
      z.object({
        buyer: z.string().meta({ description: 'Masked phone' }),
        source: followSource,
        followedAt: z.iso.datetime(),
      }),
    )
    .meta({ description: 'The latest 20 fans' }),
  // Inlined: a nullable $ref fails the OpenAPI lint (nullable-type-sibling).
  plan: z.object(fanPlanView.shape).nullable(),
  canEnroll: z.boolean().meta({ description: 'The store may enroll in the fan-growth plan now' }),
  planSettings: planSettingsSchema,
});
export type MerchantFans = z.infer<typeof merchantFans>;
