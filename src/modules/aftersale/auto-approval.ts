import type { AftersalePolicy } from './policy.ts';

export const AFTERSALE_KINDS = ['refund_only', 'return_refund', 'exchange'] as const;
export type AftersaleKind = (typeof AFTERSALE_KINDS)[number];

/** The named rules a decision can be made by (recorded on the request and its timeline). */
export const DECISION_RULES = [
  'abuse_count_limit',
  'abuse_amount_limit',
  'low_amount_good_standing',
  'parcel_overdue',
  'merchant_low_price_opt_in',
  'merchant_decision',
  'operator_decision',
  'sla_timeout',
  'return_not_shipped',
  'buyer_cancelled',
] as const;
export type DecisionRule = (typeof DECISION_RULES)[number];

export interface RequestFacts {
  kind: AftersaleKind;
  reason: string;
  amountFen: number;
  /** What the buyer paid per unit of the line. */
  unitPaidFen: number;
  orderStatus: string;
  shippedAt: Date | null;
  deliveredAt: Date | null;
  now: Date;
  /** The buyer's requests in the last 30 days, this one included (cancelled ones left out). */
  buyer: { count30d: number; amountFen30d: number; rejected30d: number };
  store: { lowPriceRefundOnly: boolean };
}

export type Routing =
  | { to: 'approve'; rule: DecisionRule }
  | { to: 'review'; rule: DecisionRule }
  | { to: 'merchant' };

const DAY = 86_400_000;

/**
 * Where a new request goes. Only refund-only is decided by rules, in this order: a buyer beyond
 * the abuse limits goes to operator review (no rule can approve it); then low amount + good
 * standing, parcel far overdue, merchant opted in for low-price goods. Anything else waits for the
 * merchant (silence approves after the SLA).
 */
export function routeRequest(f: RequestFacts, p: AftersalePolicy): Routing {
  if (f.kind !== 'refund_only') return { to: 'merchant' };
  if (f.buyer.count30d > p.abuse.maxCount30d) return { to: 'review', rule: 'abuse_count_limit' };
  if (f.buyer.amountFen30d > p.abuse.maxAmountFen30d) return { to: 'review', rule: 'abuse_amount_limit' };
  const a = p.autoApprove;
  if (f.amountFen <= a.lowAmountMaxFen && f.buyer.rejected30d <= a.goodStandingMaxRejected) {
    return { to: 'approve', rule: 'low_amount_good_standing' };
  }
  if (
    f.reason === 'not_received' &&
    f.orderStatus === 'shipped' &&
    !f.deliveredAt &&
    f.shippedAt &&
    f.now.getTime() - f.shippedAt.getTime() >= a.parcelOverdueDays * DAY
  ) {
    return { to: 'approve', rule: 'parcel_overdue' };
  }
  if (f.store.lowPriceRefundOnly && f.unitPaidFen <= a.lowPriceMaxFen) {
    return { to: 'approve', rule: 'merchant_low_price_opt_in' };
  }
  return { to: 'merchant' };
}
