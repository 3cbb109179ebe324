import { z } from 'zod';

const fen = (description: string) => z.number().int().meta({ description });

/** One price-protection payout: a line got back the difference of one price drop. */
export const payoutView = z
  .object({
    orderId: z.guid(),
    skuId: z.guid(),
    changeId: z.string().meta({ description: 'The price change (drop) that caused it' }),
    funder: z.enum(['merchant', 'platform']).meta({ description: 'Who paid it: the cause of the drop' }),
    quantity: z.number().int(),
    paidFen: fen('What the line had paid (net of earlier refunds) before this payout'),
    nowFen: fen('What the same quantity cost after the drop'),
    amountFen: fen('What the buyer got back'),
    source: z.enum(['price_change', 'buyer_check']),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'PriceProtectionPayout' });
export type PayoutView = z.infer<typeof payoutView>;

export const payoutList = z.object({
  items: z.array(payoutView).meta({ description: 'Newest first, at most 200' }),
  totalFen: fen('All my price-protection payouts'),
});

export const orderProtectionView = z
  .object({
    orderId: z.guid(),
    paidAt: z.iso.datetime().nullable(),
    windowEndsAt: z.iso
      .datetime()
      .nullable()
      .meta({ description: 'Seven days after payment (null while unpaid): the countdown' }),
    active: z.boolean().meta({ description: 'Whether the order is still protected now' }),
    payouts: z.array(payoutView),
    totalFen: fen('Everything price protection paid on this order'),
  })
  .meta({ id: 'OrderPriceProtection' });
export type OrderProtectionView = z.infer<typeof orderProtectionView>;

export const protectionCheckView = z
  .object({
    orderId: z.guid(),
    checkedAt: z.iso.datetime(),
    windowEndsAt: z.iso.datetime().nullable(),
    paidNowFen: fen('Paid by this check (0 when nothing was due, or it was paid already)'),
    lines: z.array(
      z.object({
        skuId: z.guid(),
        title: z.string(),
        quantity: z.number().int().meta({ description: 'Units still held' }),
        paidFen: fen('What the line has paid, net of refunds and earlier payouts (before this check)'),
        nowFen: fen('What the same quantity costs now, with the same coupons, at the standard price'),
        differenceFen: fen('What is due (0 outside the window or when the price is not lower)'),
        protected: z.boolean(),
        windowEndsAt: z.iso.datetime(),
        payoutFen: fen('Paid for this line by this check'),
      }),
    ),
    payouts: z.array(payoutView),
  })
  .meta({ id: 'PriceProtectionCheck' });
export type ProtectionCheckView = z.infer<typeof protectionCheckView>;

const guarantee = z.string().meta({
  description: 'The guarantee: price_protection, return_shipping, subsidy, platform_coupon, pay_later…',
});

export const storeGuaranteeCostsView = z
  .object({
    totalFen: fen('Everything the guarantees cost the store'),
    byGuarantee: z.array(z.object({ guarantee, fen: z.number().int(), count: z.number().int() })),
    orders: z
      .array(
        z.object({
          orderId: z.guid(),
          guarantee,
          fen: z.number().int(),
          count: z.number().int(),
          lastAt: z.iso.datetime(),
        }),
      )
      .meta({ description: 'By order, newest first, at most 200' }),
  })
  .meta({ id: 'StoreGuaranteeCosts' });
export type StoreGuaranteeCostsView = z.infer<typeof storeGuaranteeCostsView>;

export const guaranteeCostsView = z
  .object({
    items: z
      .array(
        z.object({
          guarantee,
          fen: fen('The balance of platform_expense:<guarantee>'),
          count: z.number().int().meta({ description: 'Ledger transactions that moved it' }),
        }),
      )
      .meta({ description: 'One per platform-funded guarantee' }),
    totalFen: fen('What the platform-funded guarantees cost in total'),
    priceProtection: z.object({
      drops: z.number().int().meta({ description: 'Price drops seen' }),
      payouts: z.number().int().meta({ description: 'Payouts those drops made' }),
    }),
  })
  .meta({ id: 'GuaranteeCosts' });
export type GuaranteeCostsView = z.infer<typeof guaranteeCostsView>;

export const storeGuaranteesView = z
  .object({
    storeId: z.uuid(),
    priceProtectionDays: z.number().int().meta({ description: 'Price protection after payment (7天价保)' }),
    refundOnlyMaxFen: z.number().int().meta({
      description: 'Refund without return (退款不退货) is approved at once at or below this amount (0 = off)',
    }),
    lowPriceRefundOnlyMaxFen: z.number().int().nullable().meta({
      description:
        'The store refunds low-price goods (unit price at or below this) without a return; null = not offered',
    }),
    returnShippingFunder: z.enum(['merchant', 'platform']).nullable().meta({
      description:
        'Who pays a return’s shipping (退货运费补贴): the store’s insurance, the platform, or nobody',
    }),
    payLater: z.boolean().meta({ description: 'The store offers use first, pay later (先用后付)' }),
  })
  .meta({ id: 'StoreGuarantees' });
export type StoreGuaranteesView = z.infer<typeof storeGuaranteesView>;
