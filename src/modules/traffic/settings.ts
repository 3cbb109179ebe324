import { z } from 'zod';

/**
 * The operator's traffic settings (one record, `GET/PUT /ops/traffic/settings`): how long a store is new,
 * the cold-start minimum, the cap on plan traffic, launch credits and the Fuyao criteria and budget.
 * Shares and rates are basis points (1 bp = 0.01%), impressions are counts, ratings are stars.
 */
export const trafficSettingsSchema = z
  .object({
    newStoreDays: z
      .number()
      .int()
      .min(1)
      .max(365)
      .meta({ description: 'A store is new (in cold start) for this many days after it opens' }),
    coldStartMinDailyImpressions: z
      .number()
      .int()
      .min(0)
      .max(1_000_000)
      .meta({ description: 'The impressions each new store with a product on sale must get per day' }),
    planTrafficCapBps: z.number().int().min(0).max(5000).meta({
      description:
        'At most this share (basis points) of all impressions may come from plans (cold start, launch, Fuyao, fan growth)',
    }),
    launchCreditsPerStore: z.number().int().min(0).max(10_000_000).meta({
      description: 'Launch-plan impressions granted to each new store on its first product on sale',
    }),
    launchPeriodDays: z
      .number()
      .int()
      .min(1)
      .max(90)
      .meta({ description: 'The days over which launch credits are spent, from the grant' }),
    fuyao: z
      .object({
        minRating: z
          .number()
          .min(1)
          .max(5)
          .multipleOf(0.01)
          .meta({ description: 'Lowest average review rating (stars, last 30 days)' }),
        maxRefundRateBps: z
          .number()
          .int()
          .min(0)
          .max(10_000)
          .meta({ description: 'Highest after-sale requests per paid order (basis points, last 30 days)' }),
        maxShippingHours: z
          .number()
          .int()
          .min(1)
          .max(720)
          .meta({ description: 'Highest average shipped-to-delivered hours (last 30 days)' }),
        minCtrBps: z
          .number()
          .int()
          .min(0)
          .max(10_000)
          .meta({ description: 'Lowest feed click-through (basis points, last 7 days)' }),
        minGmvGrowthBps: z.number().int().min(-10_000).max(1_000_000).meta({
          description: 'Lowest growth of feed-attributed GMV, last 7 days over the 7 before (basis points)',
        }),
        budgetPerDay: z
          .number()
          .int()
          .min(0)
          .max(10_000_000)
          .meta({ description: 'Fuyao impressions per day for each store in the plan' }),
        periodDays: z.number().int().min(1).max(90).meta({ description: 'How long a Fuyao grant lasts' }),
      })
      .strict(),
  })
  .strict()
  .meta({ id: 'TrafficSettings' });
export type TrafficSettings = z.infer<typeof trafficSettingsSchema>;

export const DEFAULT_TRAFFIC_SETTINGS: TrafficSettings = {
  newStoreDays: 30,
  coldStartMinDailyImpressions: 200,
  planTrafficCapBps: 1500,
  launchCreditsPerStore: 3000,
  launchPeriodDays: 14,
  fuyao: {
    minRating: 4.5,
    maxRefundRateBps: 1000,
    maxShippingHours: 72,
    minCtrBps: 200,
    minGmvGrowthBps: 0,
    budgetPerDay: 500,
    periodDays: 14,
  },
};
