/** What the store experience score's routes answer (experience-routes.ts). */
import { z } from 'zod';

const score = z.number().min(0).max(5).meta({ description: '0–5, two decimals' });

export const experienceScoresSchema = z.object({
  overall: score,
  product: score,
  logistics: score,
  service: score,
});

export const enoughDataSchema = z
  .object({ product: z.boolean(), logistics: z.boolean(), service: z.boolean() })
  .meta({
    id: 'ExperienceEnoughData',
    description: 'Whether each dimension had enough data (at least 5 observations) to outweigh its prior',
  });

/** A store's latest score, public. */
export const storeExperienceSchema = z
  .object({
    storeId: z.string(),
    day: z
      .string()
      .nullable()
      .meta({ description: 'Asia/Shanghai business day (YYYY-MM-DD); null before the first' }),
    score: experienceScoresSchema.nullable(),
    enoughData: enoughDataSchema,
  })
  .meta({ id: 'StoreExperience' });
export type StoreExperience = z.infer<typeof storeExperienceSchema>;

export const experienceDaySchema = z
  .object({ day: z.string(), overall: score, product: score, logistics: score, service: score })
  .meta({ id: 'ExperienceDay' });

const count = z.number().int().min(0);
const hours = z.number().min(0).nullable().meta({ description: 'Hours (one decimal); null without data' });
const percent = z
  .number()
  .min(0)
  .max(100)
  .nullable()
  .meta({ description: 'Percent (one decimal); null without data' });

/** The raw figures of the current score's window, per dimension. */
export const experienceInputsSchema = z.object({
  window: z
    .object({ from: z.date(), to: z.date() })
    .meta({ description: 'The 30 whole days before the scored day: from inclusive, to exclusive' }),
  product: z.object({
    reviews: count.meta({ description: 'Visible non-default reviews written in the window' }),
    ratingSum: count,
    averageRating: z.number().nullable(),
    defaultReviews: count,
    lowRatings: count.meta({ description: 'Non-default reviews rated 1–2' }),
    linesDelivered: count,
    qualityRefunds: count.meta({
      description:
        'Order lines (order, SKU) with an after-sale for quality / not as described granted in the window',
    }),
    qualityRefundRate: percent,
  }),
  logistics: z.object({
    due: count.meta({ description: 'Orders whose 48 h ship deadline fell in the window' }),
    onTime: count,
    late: count,
    onTimeRate: percent,
    delivered: count,
    meanDeliveryHours: hours,
  }),
  service: z.object({
    requests: count.meta({
      description: "After-sale requests decided in the window (the dispute rate's denominator)",
    }),
    handled: count.meta({ description: 'Decided by the merchant (or by the SLA for them)' }),
    meanHandlingHours: hours,
    disputes: count.meta({ description: 'Requests the merchant rejected' }),
    disputeRate: percent,
  }),
});
export type ExperienceInputsView = z.infer<typeof experienceInputsSchema>;

export const experienceSuggestionSchema = z
  .object({
    dimension: z.enum(['product', 'logistics', 'service']),
    code: z.enum([
      'low_rating',
      'quality_refunds',
      'ship_late',
      'slow_delivery',
      'slow_aftersale',
      'disputes',
      'not_enough_data',
    ]),
    params: z.record(z.string(), z.number()).meta({
      description:
        'low_rating {avg, low, reviews}; quality_refunds {refunds, lines, rate%}; ship_late {late, due, rate%}; ' +
        'slow_delivery {hours}; slow_aftersale {hours}; disputes {disputes, requests, rate%}; not_enough_data {have, need}',
    }),
  })
  .meta({ id: 'ExperienceSuggestion' });

/** The merchant console's view: the current score, its history, its inputs and what to improve. */
export const myStoreExperienceSchema = z
  .object({
    current: storeExperienceSchema,
    history: z.array(experienceDaySchema).meta({ description: 'The last 30 computed days, oldest first' }),
    inputs: experienceInputsSchema.nullable(),
    suggestions: z.array(experienceSuggestionSchema),
  })
  .meta({ id: 'MyStoreExperience' });
export type MyStoreExperience = z.infer<typeof myStoreExperienceSchema>;

export const opsStoreExperienceSchema = z
  .object({
    storeId: z.string(),
    storeName: z.string(),
    storeStatus: z.enum(['open', 'suspended']),
    day: z.string(),
    score: experienceScoresSchema,
    enoughData: enoughDataSchema,
  })
  .meta({ id: 'OpsStoreExperience' });
export const opsStoreExperiencePageSchema = z.object({
  items: z.array(opsStoreExperienceSchema),
  nextCursor: z.string().nullable(),
});
export type OpsStoreExperiencePage = z.infer<typeof opsStoreExperiencePageSchema>;

export const recomputeAnswerSchema = z.object({
  day: z.string(),
  stores: z.number().int().meta({ description: 'Stores scored' }),
});
