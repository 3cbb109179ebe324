import { z } from 'zod';
import { singleLineText } from '../../platform/text.ts';
import { ITEM_KINDS, TRAFFIC_SOURCES } from './engine/types.ts';
import { trafficSettingsSchema } from './settings.ts';

const source = z.enum(TRAFFIC_SOURCES).meta({ id: 'TrafficSource' });
const day = z.string().meta({ description: 'Business day (Asia/Shanghai), YYYY-MM-DD' });

/** One card of the feed. The buyer never sees why it was shown (its traffic source). */
export const feedCard = z
  .object({
    impressionId: z.guid().meta({
      description:
        'This showing of the item: send it with clicks (`POST /feed/events`) and as `attribution.impressionId`',
    }),
    position: z.number().int().meta({ description: 'Position in the whole feed session, from 0' }),
    kind: z
      .enum(ITEM_KINDS)
      .meta({ description: 'What the card is: a product (videos and lives come later)' }),
    id: z.guid().meta({ description: "The item's id (for a product, the product id)" }),
    productId: z
      .guid()
      .nullable()
      .meta({ description: 'The product to open (a video or live: its main product)' }),
    title: z.string(),
    image: z.string().meta({ description: 'The first image, empty when none' }),
    storeId: z.guid(),
    storeName: z.string(),
    priceFen: z.number().int().meta({ description: 'The lowest final price (到手价) over its SKUs, in fen' }),
    sales: z.number().int(),
    link: z.string().meta({
      description:
        'Where the card leads: the product page with `?from=feed&imp=<impressionId>` (the attribution)',
    }),
  })
  .meta({ id: 'FeedCard' });
export type FeedCard = z.infer<typeof feedCard>;

export const feedQuery = z
  .object({
    cursor: z
      .string()
      .max(100)
      .regex(/^[A-Za-z0-9_-]+\.[0-9]{1,6}$/, 'a cursor from an earlier page')
      .optional()
      .meta({ description: "The previous page's `nextCursor` (none: a new feed session)" }),
    limit: z.coerce.number().int().min(1).max(50).default(20),
  })
  .strict();

export const feedPage = z
  .object({
    items: z.array(feedCard),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: 'For the next page; null when nothing more can be shown' }),
  })
  .meta({ id: 'FeedPage' });
export type FeedPage = z.infer<typeof feedPage>;

export const feedEventBody = z
  .object({
    impressionId: z.guid(),
    kind: z
      .enum(['click', 'cart'])
      .meta({ description: 'The buyer opened the card, or put its item in the cart' }),
  })
  .strict();
export type FeedEventInput = z.infer<typeof feedEventBody>;

export const feedEventAnswer = z.object({
  counted: z.boolean().meta({ description: 'false when this impression already had an event of this kind' }),
});

export const daysQuery = z.object({ days: z.coerce.number().int().min(1).max(90).default(14) }).strict();

/** One row of a store's traffic: a day and a source. */
export const trafficDayRow = z
  .object({
    day,
    source,
    impressions: z.number().int(),
    clicks: z.number().int(),
    carts: z.number().int(),
    orders: z.number().int(),
    gmvFen: z.number().int().meta({
      description:
        'What paid order lines credited to these impressions paid (fen), on the day of payment, less orders cancelled after payment and orders refunded in full; a partial (per-line) after-sale refund is not deducted',
    }),
  })
  .meta({ id: 'TrafficDayRow' });

export const merchantTraffic = z
  .object({
    storeId: z.guid(),
    days: z.array(day).meta({ description: 'The days covered, oldest first' }),
    rows: z.array(trafficDayRow).meta({ description: 'Rows with any traffic, by day then source' }),
  })
  .meta({ id: 'MerchantTraffic' });
export type MerchantTraffic = z.infer<typeof merchantTraffic>;

const fuyaoCheck = z
  .object({
    criterion: z.enum(['cold_start', 'rating', 'refund_rate', 'shipping_hours', 'ctr', 'gmv_growth']),
    value: z.number().nullable().meta({ description: "The store's figure (null: no data yet)" }),
    threshold: z.number(),
    pass: z.boolean(),
  })
  .meta({ id: 'FuyaoCheck' });

export const planStatus = z
  .object({
    storeId: z.guid(),
    today: day,
    coldStart: z.object({
      isNew: z.boolean(),
      newUntil: z.iso.datetime().meta({ description: 'When the store stops being new' }),
      productsOnSale: z.number().int(),
      minimum: z.number().int().meta({ description: "Today's minimum impressions (0 when none applies)" }),
      delivered: z.number().int().meta({ description: 'Cold-start impressions delivered today' }),
      totalToday: z.number().int().meta({ description: 'All impressions today, every source' }),
    }),
    launch: z.object({
      granted: z.number().int().meta({ description: 'Launch credits (impressions) granted, all grants' }),
      spent: z.number().int(),
      remaining: z.number().int(),
      todayTarget: z.number().int().meta({ description: "Today's pace: the credits to spend today" }),
      todayDelivered: z.number().int(),
      endsOn: day.nullable().meta({ description: 'The last day of the latest grant' }),
      grants: z.array(
        z.object({
          id: z.guid(),
          impressions: z.number().int(),
          startsOn: day,
          endsOn: day,
          grantedBy: z.enum(['auto', 'operator', 'village']),
          note: z.string(),
        }),
      ),
    }),
    fuyao: z.object({
      status: z.enum(['active', 'ended', 'not_eligible', 'in_cold_start']),
      startsOn: day.nullable(),
      endsOn: day.nullable(),
      budgetPerDay: z.number().int(),
      todayDelivered: z.number().int(),
      checks: z.array(fuyaoCheck).meta({ description: 'Why or why not, criterion by criterion' }),
    }),
  })
  .meta({ id: 'TrafficPlanStatus' });
export type PlanStatus = z.infer<typeof planStatus>;

export const settingsAnswer = z
  .object({
    settings: trafficSettingsSchema,
    updatedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'TrafficSettingsAnswer' });

export const coverageAnswer = z
  .object({
    days: z.array(
      z.object({
        day,
        newStores: z.number().int().meta({ description: 'New stores with ≥1 product on sale that day' }),
        reached: z.number().int().meta({ description: 'Of those, the ones that got their minimum' }),
        coverage: z.number().nullable().meta({ description: 'reached / newStores (null when none)' }),
        minimum: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'TrafficCoverage' });
export type CoverageAnswer = z.infer<typeof coverageAnswer>;

export const planUseAnswer = z
  .object({
    days: z.array(day),
    rows: z.array(
      z.object({
        day,
        source,
        stores: z.number().int().meta({ description: 'Stores with a contract of this source that day' }),
        targetImpressions: z
          .number()
          .int()
          .meta({ description: 'Sum of the contracts (minimums or budgets)' }),
        deliveredImpressions: z.number().int(),
        clicks: z.number().int(),
        orders: z.number().int(),
        gmvFen: z.number().int().meta({
          description:
            'What paid order lines credited to these impressions paid (fen), on the day of payment, less orders cancelled after payment and orders refunded in full; a partial (per-line) after-sale refund is not deducted',
        }),
      }),
    ),
    cost: z.array(
      z.object({
        source,
        impressions: z.number().int(),
        gmvFen: z.number().int().meta({
          description:
            'GMV credited to these plan impressions (paid, less cancellations after payment and full refunds; partial refunds not deducted)',
        }),
        organicGmvPerImpressionMilliFen: z
          .number()
          .int()
          .meta({ description: 'Organic GMV per 1000 impressions over the same days (the yardstick)' }),
        gmvCostFen: z.number().int().meta({
          description:
            'Estimated GMV given up: the impressions × organic GMV per impression − the GMV they produced (≥ 0 shown as is, negative = a gain)',
        }),
      }),
    ),
    method: z.string().meta({ description: 'How the GMV cost is estimated' }),
    totalImpressions: z.number().int(),
    planShareBps: z.number().int().meta({ description: 'Plan impressions / all impressions over the days' }),
  })
  .meta({ id: 'TrafficPlanUse' });
export type PlanUseAnswer = z.infer<typeof planUseAnswer>;

export const planStoresAnswer = z
  .object({
    today: day,
    stores: z.array(
      z.object({
        storeId: z.guid(),
        storeName: z.string(),
        openedAt: z.iso.datetime(),
        plans: z.array(
          z.object({
            source,
            targetImpressions: z.number().int(),
            delivered: z.number().int(),
            kind: z.enum(['minimum', 'budget']),
          }),
        ),
        launchRemaining: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'TrafficPlanStores' });
export type PlanStoresAnswer = z.infer<typeof planStoresAnswer>;

export const launchGrantBody = z
  .object({
    storeId: z.guid(),
    impressions: z.number().int().min(1).max(10_000_000),
    periodDays: z
      .number()
      .int()
      .min(1)
      .max(90)
      .optional()
      .meta({ description: "Default: the settings' launch period" }),
    note: singleLineText({ max: 200 }).optional(),
  })
  .strict();
export type LaunchGrantInput = z.infer<typeof launchGrantBody>;

export const launchGrantAnswer = z
  .object({
    grant: z.object({
      id: z.guid(),
      storeId: z.guid(),
      impressions: z.number().int(),
      startsOn: day,
      endsOn: day,
    }),
  })
  .meta({ id: 'LaunchGrant' });
