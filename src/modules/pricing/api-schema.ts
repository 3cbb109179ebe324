import { z } from 'zod';

const funder = z.enum(['merchant', 'platform']);
export const couponKind = z.enum(['store_coupon', 'platform_coupon', 'follow_coupon', 'fan_coupon']);

export const quoteDiscountSchema = z
  .object({
    kind: z.enum(['subsidy', 'store_coupon', 'platform_coupon', 'follow_coupon', 'fan_coupon']),
    id: z.guid().meta({ description: "The coupon's id, or the subsidy budget's" }),
    funder,
    fen: z.number().int().meta({ description: 'Taken off the whole line (all its units), in fen' }),
  })
  .meta({ id: 'QuoteDiscount' });

export const quoteLineSchema = z
  .object({
    skuId: z.guid(),
    storeId: z.guid(),
    quantity: z.number().int(),
    listUnitFen: z.number().int().meta({ description: "The merchant's list price per unit" }),
    unitFen: z.number().int().meta({ description: 'The final unit price before order-level coupons' }),
    listFen: z.number().int().meta({ description: 'List price × quantity' }),
    paidFen: z
      .number()
      .int()
      .meta({ description: 'What the buyer pays for the line: listFen − Σ discounts' }),
    discounts: z.array(quoteDiscountSchema),
    platformFundedFen: z
      .number()
      .int()
      .meta({ description: 'Σ of the platform-funded discounts of the line' }),
  })
  .meta({ id: 'QuoteLine' });

export const quoteCouponSchema = z
  .object({
    id: z.guid(),
    claimId: z
      .guid()
      .nullable()
      .meta({ description: 'The claim used; null when claimed automatically at checkout' }),
    kind: couponKind,
    funder,
    storeId: z.guid().nullable(),
    title: z.string(),
    discountFen: z.number().int(),
    thresholdFen: z.number().int(),
    fen: z.number().int().meta({ description: 'What it takes off this quote' }),
  })
  .meta({ id: 'QuoteCoupon' });

export const quoteSchema = z
  .object({
    at: z.iso.datetime(),
    channel: z.enum(['standard', 'live', 'flash']),
    lines: z.array(quoteLineSchema),
    listTotalFen: z.number().int(),
    discountFen: z.number().int(),
    totalFen: z.number().int().meta({ description: 'Σ paidFen: what the buyer pays' }),
    platformFundedFen: z.number().int(),
    coupons: z
      .array(quoteCouponSchema)
      .meta({ description: 'The coupons used (the best combination unless chosen)' }),
  })
  .meta({ id: 'Quote' });
export type QuoteView = z.infer<typeof quoteSchema>;
export const quoteAnswer = z.object({ quote: quoteSchema });

export const couponSchema = z
  .object({
    id: z.guid(),
    kind: couponKind,
    funder,
    storeId: z.guid().nullable(),
    title: z.string(),
    discountFen: z.number().int(),
    thresholdFen: z.number().int().meta({ description: '满X减Y: the amount to reach (0: none)' }),
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime(),
    perBuyerLimit: z.number().int(),
    totalQuantity: z.number().int(),
    claimedCount: z.number().int(),
    autoClaim: z.boolean().meta({ description: 'Applied without a claim (claimed at checkout)' }),
    status: z.enum(['active', 'stopped']),
  })
  .meta({ id: 'Coupon' });
export type CouponView = z.infer<typeof couponSchema>;
export const couponAnswer = z.object({ coupon: couponSchema });
export const couponList = z.object({
  items: z.array(couponSchema).meta({ description: 'Newest first, at most 200' }),
});

export const myCouponSchema = z
  .object({
    claimId: z.guid(),
    status: z.enum(['available', 'used', 'expired']),
    claimedAt: z.iso.datetime(),
    usedAt: z.iso.datetime().nullable(),
    coupon: couponSchema,
  })
  .meta({ id: 'MyCoupon' });
export type MyCouponView = z.infer<typeof myCouponSchema>;
export const myCouponAnswer = z.object({ claim: myCouponSchema });
export const myCouponList = z.object({
  items: z.array(myCouponSchema).meta({ description: 'Newest first, at most 200' }),
});

export const subsidySchema = z
  .object({
    id: z.guid(),
    title: z.string(),
    totalFen: z.number().int().meta({ description: 'The budget: never drawn beyond it' }),
    drawnFen: z.number().int(),
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime(),
    status: z.enum(['active', 'stopped']),
    skus: z.array(
      z.object({
        skuId: z.guid(),
        fenPerUnit: z.number().int(),
        capUnits: z.number().int(),
        drawnUnits: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'SubsidyBudget' });
export type SubsidyView = z.infer<typeof subsidySchema>;
export const subsidyAnswer = z.object({ subsidy: subsidySchema });
export const subsidyList = z.object({
  items: z.array(subsidySchema).meta({ description: 'Newest first, at most 200' }),
});

export const priceHistorySchema = z.object({
  items: z.array(
    z.object({
      priceFen: z.number().int().meta({ description: 'The list price' }),
      subsidyFen: z.number().int().meta({ description: 'The platform subsidy per unit from then' }),
      effectiveAt: z.iso.datetime(),
      cause: z.enum(['merchant_price', 'subsidy_start', 'subsidy_end']),
      funder,
    }),
  ),
});
