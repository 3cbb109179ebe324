import { z } from 'zod';
import { AFTERSALE_KINDS, DECISION_RULES } from './auto-approval.ts';
import { aftersalePolicy } from './policy.ts';
import { AFTERSALE_REASONS, AFTERSALE_STATUSES } from './states.ts';

const when = z.iso.datetime().nullable();
const parcel = z
  .object({ carrier: z.string(), trackingNo: z.string(), shippedAt: z.iso.datetime(), receivedAt: when })
  .nullable();

/** What the after-sale routes answer; the service's `AftersaleView` is this schema's type. */
export const aftersaleView = z
  .object({
    id: z.guid(),
    orderId: z.guid(),
    skuId: z.guid(),
    productId: z.guid(),
    storeId: z.guid(),
    kind: z.enum(AFTERSALE_KINDS),
    reason: z.enum(AFTERSALE_REASONS),
    note: z.string().meta({ description: "The buyer's words ('' when none)" }),
    quantity: z.number().int().meta({ description: 'Units of the line the request is about' }),
    amountFen: z.number().int().meta({
      description: 'What the request refunds (exchange: the value of the units exchanged)',
    }),
    exchangeSkuId: z.guid().nullable().meta({ description: 'Exchange: the SKU wanted instead (reserved)' }),
    status: z.enum(AFTERSALE_STATUSES),
    dueAt: when.meta({
      description:
        'Deadline of the step it waits in: the merchant’s decision (silence approves), the buyer’s return, the merchant’s receipt (silence confirms)',
    }),
    decidedByRule: z
      .enum(DECISION_RULES)
      .nullable()
      .meta({ description: 'The rule that approved or rejected it' }),
    decidedBy: z
      .string()
      .nullable()
      .meta({ description: "'system:rules', 'system:sla', 'merchant:…', 'operator:…'" }),
    decidedAt: when,
    decisionNote: z.string(),
    returnParcel: parcel,
    replacementParcel: parcel,
    refundedFen: z.number().int(),
    shippingSubsidyFen: z
      .number()
      .int()
      .meta({ description: 'Return-shipping compensation paid to the buyer' }),
    shippingSubsidyFunder: z.enum(['merchant', 'platform']).nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    closedAt: when,
  })
  .meta({ id: 'AftersaleRequest' });
export type AftersaleView = z.infer<typeof aftersaleView>;

export const aftersaleEventView = z
  .object({
    action: z.string(),
    fromStatus: z.enum(AFTERSALE_STATUSES).nullable(),
    toStatus: z.enum(AFTERSALE_STATUSES),
    rule: z.enum(DECISION_RULES).nullable(),
    actor: z.string(),
    note: z.string(),
    at: z.iso.datetime(),
  })
  .meta({ id: 'AftersaleEvent' });
export type AftersaleEventView = z.infer<typeof aftersaleEventView>;

export const aftersaleAnswer = z.object({ request: aftersaleView });
export const aftersaleDetail = z.object({
  request: aftersaleView,
  timeline: z.array(aftersaleEventView).meta({ description: 'Oldest first' }),
});
export const aftersaleList = z.object({
  items: z
    .array(aftersaleView)
    .meta({ description: 'Newest first (merchant queue: soonest due first), at most 200' }),
});

export const aftersalePolicyAnswer = z.object({
  policy: aftersalePolicy,
  updatedAt: when.meta({ description: 'null while the defaults hold' }),
});

export const storeAftersaleSettings = z
  .object({
    lowPriceRefundOnly: z.boolean().meta({
      description: 'Refund-only of low-price goods (policy’s lowPriceMaxFen) is approved without asking me',
    }),
    shippingInsurance: z.boolean().meta({
      description: 'My store pays its buyers’ return shipping (shipping insurance)',
    }),
  })
  .meta({ id: 'StoreAftersaleSettings' });
export type StoreAftersaleSettings = z.infer<typeof storeAftersaleSettings>;
