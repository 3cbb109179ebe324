import { z } from 'zod';
import { singleLineText } from '../../platform/text.ts';

const fen = (max: number) => z.number().int().min(0).max(max);

/**
 * The operator's after-sale policy (one record, `GET/PUT /ops/aftersale/policy`). Every number the
 * rules, SLAs and the shipping subsidy use lives here; the defaults hold until an operator saves one.
 */
export const aftersalePolicy = z
  .object({
    autoApprove: z
      .object({
        lowAmountMaxFen: fen(10_000_00).meta({
          description:
            'Refund-only at or below this amount is approved at once for a buyer in good standing (0 = off)',
        }),
        goodStandingMaxRejected: z.number().int().min(0).max(100).meta({
          description:
            'Good standing: at most this many of the buyer’s requests rejected in the last 30 days',
        }),
        parcelOverdueDays: z.number().int().min(1).max(60).meta({
          description:
            'A parcel shipped this many days ago and still not delivered: "not received" is approved',
        }),
        lowPriceMaxFen: fen(10_000_00).meta({
          description:
            'For stores that opted in: refund-only of goods at or below this unit price is approved',
        }),
      })
      .strict(),
    merchantSlaHours: z.number().int().min(1).max(720).meta({
      description: 'The merchant decides within this many hours; silence approves',
    }),
    returnShipDays: z.number().int().min(1).max(30).meta({
      description:
        'After a return is approved, the buyer ships it within this many days or the request closes',
    }),
    returnReceiptSlaHours: z.number().int().min(1).max(720).meta({
      description:
        'After the buyer shipped the return, the merchant confirms receipt within this many hours; silence confirms',
    }),
    abuse: z
      .object({
        maxCount30d: z.number().int().min(1).max(1000),
        maxAmountFen30d: fen(100_000_000),
      })
      .strict()
      .meta({
        description:
          'A buyer beyond either limit (requests and their amounts in 30 days, this one included): refund-only goes to operator review',
      }),
    shippingSubsidy: z
      .object({
        enabled: z.boolean(),
        flatFen: fen(100_00).meta({ description: 'What a return’s shipping is compensated with' }),
        byProvinceFen: z
          .record(singleLineText({ min: 1, max: 40 }), fen(100_00))
          .refine((r) => Object.keys(r).length <= 40, 'at most 40 provinces')
          .meta({
            description: 'Per destination province (the order’s address), instead of the flat amount',
          }),
        newStoreDays: z.number().int().min(0).max(365).meta({
          description:
            'A store opened less than this many days ago gets its buyers’ return shipping paid by the platform',
        }),
        platformBudgetFen: fen(10_000_000_00).meta({
          description: 'The most the platform pays for return shipping in total',
        }),
      })
      .strict(),
    autoConfirmDays: z.number().int().min(1).max(30).meta({
      description: 'Delivered orders are confirmed received this many days after delivery',
    }),
  })
  .strict()
  .meta({ id: 'AftersalePolicy' });
export type AftersalePolicy = z.infer<typeof aftersalePolicy>;

export const DEFAULT_POLICY: AftersalePolicy = {
  autoApprove: {
    lowAmountMaxFen: 50_00,
    goodStandingMaxRejected: 0,
    parcelOverdueDays: 10,
    lowPriceMaxFen: 20_00,
  },
  merchantSlaHours: 48,
  returnShipDays: 7,
  returnReceiptSlaHours: 168,
  abuse: { maxCount30d: 5, maxAmountFen30d: 2_000_00 },
  shippingSubsidy: {
    enabled: true,
    flatFen: 8_00,
    byProvinceFen: { 新疆维吾尔自治区: 20_00, 西藏自治区: 20_00 },
    newStoreDays: 90,
    platformBudgetFen: 1_000_000_00,
  },
  autoConfirmDays: 7,
};

/** A stored policy merged over the defaults (a field added later keeps its default). */
export function policyFrom(stored: unknown): AftersalePolicy {
  if (!stored || typeof stored !== 'object') return DEFAULT_POLICY;
  const s = stored as Partial<AftersalePolicy>;
  const merged = {
    ...DEFAULT_POLICY,
    ...s,
    autoApprove: { ...DEFAULT_POLICY.autoApprove, ...(s.autoApprove ?? {}) },
    abuse: { ...DEFAULT_POLICY.abuse, ...(s.abuse ?? {}) },
    shippingSubsidy: { ...DEFAULT_POLICY.shippingSubsidy, ...(s.shippingSubsidy ?? {}) },
  };
  const parsed = aftersalePolicy.safeParse(merged);
  return parsed.success ? parsed.data : DEFAULT_POLICY;
}
