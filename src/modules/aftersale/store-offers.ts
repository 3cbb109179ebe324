import type { AftersalePolicy } from './policy.ts';
import { shippingSubsidy } from './shipping-subsidy.ts';

/** What a store's buyers can count on after the sale, as its product and order pages show it. */
export interface StoreAftersaleOffers {
  /** Refund-only (退款不退货) is approved at once at or below this amount for a buyer in good standing; 0 = off. */
  refundOnlyMaxFen: number;
  /** Refund-only of goods at or below this unit price is approved at once (the store opted in); null = not offered. */
  lowPriceRefundOnlyMaxFen: number | null;
  /** Who pays a return's shipping (退货运费补贴), or null when nobody does. */
  returnShippingFunder: 'merchant' | 'platform' | null;
}

/**
 * The offers follow the same rules the after-sale flow applies (shippingSubsidy), so a badge never
 * promises what a request would then refuse. The province is unknown before an order: the flat
 * amount decides whether a subsidy exists at all.
 */
export function storeAftersaleOffers(
  facts: {
    store: { shippingInsurance: boolean; lowPriceRefundOnly: boolean; openedAt: Date | null };
    now: Date;
    platformSpentFen: number;
  },
  policy: AftersalePolicy,
): StoreAftersaleOffers {
  const shipping = shippingSubsidy({ province: '', ...facts }, policy);
  return {
    refundOnlyMaxFen: policy.autoApprove.lowAmountMaxFen,
    lowPriceRefundOnlyMaxFen: facts.store.lowPriceRefundOnly ? policy.autoApprove.lowPriceMaxFen : null,
    returnShippingFunder: shipping?.funder ?? null,
  };
}
