/**
 * What the size assistant's routes answer. The service's types are inferred from these schemas (or
 * checked against them), so a field the code returns but a schema leaves out (which the serializer
 * would strip) fails the typecheck. Nothing here is a sentence: reasons, notes and verdicts are codes
 * with parameters the web words in the reader's language.
 */
import { z } from 'zod';
import { PLAUSIBILITY_FLAGS } from './body-plausibility.ts';
import { FIT_LEVELS } from './fit-zone-reason.ts';
import { measurementsSchema, profileLabelSchema } from './profiles.ts';
import { bodyAnswersSchema, fitPreferenceSchema, garmentZoneSchema, sexSchema } from './schemas.ts';
import { sizeNoteSchema } from './size-notes.ts';

const fitLevel = z.enum(FIT_LEVELS).meta({ description: 'How a zone fits (web: `sizing.levels`)' });
const fitOutcome = z.enum(['small', 'fit', 'large']);
const zones = <T extends z.ZodType>(value: T) => z.partialRecord(garmentZoneSchema, value);

const zoneValue = z.object({
  cm: z.number(),
  sdCm: z.number(),
  source: z.enum(['estimate', 'measured']),
});

export const profileViewSchema = z
  .object({
    id: z.string(),
    label: profileLabelSchema,
    /** Null: the default name, shown by label in the reader's language. */
    name: z.string().nullable(),
    answers: bodyAnswersSchema,
    /** Unlikely answers (e.g. 219 cm and 40 kg) the buyer confirmed or should look at again. */
    bodyCheck: z.array(z.enum(PLAUSIBILITY_FLAGS)),
    estimate: z.object({
      sex: sexSchema.optional(),
      fitPreference: fitPreferenceSchema,
      outOfRange: z.boolean(),
      notes: z.array(sizeNoteSchema),
      zones: z.record(z.string(), z.object({ cm: z.number(), sdCm: z.number() })),
    }),
    measurements: measurementsSchema,
    /** What recommendations use: measured zones where given, else the estimate. */
    body: z.record(z.string(), zoneValue),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'SizeProfile' });
export type ProfileView = z.infer<typeof profileViewSchema>;

export const zoneReasonSchema = z
  .object({
    zone: garmentZoneSchema,
    easeCm: z.number().meta({ description: 'Garment minus body (cm), as the garment really sits' }),
    level: fitLevel,
  })
  .meta({ id: 'ZoneReason', description: 'How one zone of a size fits: codes the app words' });

export const sizeOptionSchema = z
  .object({
    size: z.string(),
    pSmall: z.number(),
    pFit: z.number(),
    pLarge: z.number(),
    reasons: z.array(zoneReasonSchema),
  })
  .meta({ id: 'SizeOption' });

export const sizeDecisionSchema = z
  .discriminatedUnion('code', [
    z.object({ code: z.literal('none') }),
    z.object({ code: z.literal('firm'), size: z.string() }),
    z.object({ code: z.literal('beyond'), size: z.string(), direction: z.enum(['large', 'small']) }),
    z.object({
      code: z.literal('between'),
      smaller: z.string(),
      larger: z.string(),
      pick: z.string(),
      preference: z.enum(['snug', 'loose']).nullable(),
    }),
  ])
  .meta({ id: 'SizeDecision', description: 'Firm, beyond the range, or between two neighbouring sizes' });

const avatarBodyZone = z.object({
  zone: garmentZoneSchema,
  yCm: z.number(),
  valueCm: z.number(),
  frontCm: z.number(),
  sideCm: z.number(),
});

export const avatarSchema = z
  .object({
    heightCm: z.number(),
    body: z.array(avatarBodyZone),
    sizes: z.array(
      z.object({
        size: z.string(),
        zones: z.array(avatarBodyZone.extend({ easeCm: z.number(), level: fitLevel })),
        lengthCm: z.number().optional(),
      }),
    ),
  })
  .meta({
    id: 'SizeAvatar',
    description: 'Geometry of the try-on picture (cm): a body and each size over it',
  });

export const recommendationSchema = z
  .object({
    productId: z.string(),
    profileId: z.string().nullable(),
    recommendedSize: z.string().nullable(),
    confidence: z.number(),
    decision: sizeDecisionSchema,
    bodyCheck: z.array(z.enum(PLAUSIBILITY_FLAGS)),
    chartSource: z.enum(['product', 'category']).meta({
      description: "`category`: the product has no size chart; the category's typical one was used",
    }),
    reasons: z.array(zoneReasonSchema).meta({ description: 'Per zone, for the recommended size' }),
    sizes: z.array(sizeOptionSchema),
    body: zones(z.object({ cm: z.number(), sdCm: z.number().optional() })),
    notes: z.array(sizeNoteSchema),
    avatar: avatarSchema,
  })
  .meta({ id: 'SizeRecommendation' });
export type RecommendResult = z.infer<typeof recommendationSchema>;

export const fitFeedbackSchema = z.object({
  feedback: z.object({
    orderId: z.string(),
    skuId: z.string(),
    productId: z.string(),
    size: z.string(),
    fit: fitOutcome,
    createdAt: z.date(),
  }),
});
export type FitFeedbackAnswer = z.infer<typeof fitFeedbackSchema>;

export const orderFitSchema = z.object({
  items: z.array(
    z.object({
      skuId: z.string(),
      size: z.string(),
      fit: fitOutcome,
      source: z.enum(['feedback', 'aftersale']),
      createdAt: z.date(),
    }),
  ),
});
export type OrderFit = z.infer<typeof orderFitSchema>;

export const verdictSchema = z.enum(['not_enough_data', 'runs_small', 'true_to_size', 'runs_large']);

export const productInsightSchema = z
  .object({
    productId: z.string(),
    title: z.string(),
    categoryId: z.string(),
    status: z.enum(['on_sale', 'off_sale']),
    hasChart: z.boolean(),
    feedback: z.object({ small: z.number(), fit: z.number(), large: z.number(), total: z.number() }),
    purchasedLines: z.number(),
    sizeRefunds: z.number(),
    sizeRefundRate: z
      .number()
      .nullable()
      .meta({ description: 'Size-reason refund requests ÷ purchased order lines (null without purchases)' }),
    verdict: verdictSchema,
    fitShiftCm: z
      .number()
      .meta({ description: 'How many cm of ease off its chart the product fits (negative: runs small)' }),
    suggestedChartCorrectionCm: zones(z.number())
      .nullable()
      .meta({ description: 'cm per zone to add to every size of the chart, when it runs small or large' }),
    learnedOffset: z.number(),
  })
  .meta({ id: 'SizeInsight' });

export const sizeInsightsSchema = z.object({
  minSample: z.number().int().meta({ description: 'Fit answers a product needs for a verdict' }),
  items: z.array(productInsightSchema),
});
export type SizeInsights = z.infer<typeof sizeInsightsSchema>;

const rate = z.number().nullable();

export const sizeMetricsSchema = z
  .object({
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    days: z.number().int(),
    apparelLines: z.number().int().meta({ description: 'Purchased apparel order lines in the window' }),
    linesWithRecommendation: z.number().int(),
    recommendationShare: rate,
    sizeRefundRate: z.object({ withRecommendation: rate, withoutRecommendation: rate }),
    sizeRefunds: z.object({ withRecommendation: z.number().int(), withoutRecommendation: z.number().int() }),
    recommendationsShown: z.number().int(),
    fitOutcomes: z.object({ small: z.number().int(), fit: z.number().int(), large: z.number().int() }),
    daily: z.array(
      z.object({
        day: z.string(),
        lines: z.number().int(),
        withRecommendation: z.number().int(),
        sizeRefundsWith: z.number().int(),
        sizeRefundsWithout: z.number().int(),
        recommendationShare: rate,
        refundRateWith: rate,
        refundRateWithout: rate,
      }),
    ),
  })
  .meta({ id: 'SizeMetrics' });
export type SizeMetrics = z.infer<typeof sizeMetricsSchema>;
