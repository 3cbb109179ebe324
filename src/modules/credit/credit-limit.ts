import type { CreditPolicy } from './policy.ts';

export type IneligibleReason = 'account_too_new' | 'too_few_orders' | 'too_many_refunds';

export interface BuyerFacts {
  accountAgeDays: number;
  finishedOrders: number;
  refundedOrders: number;
}

/**
 * A buyer's credit limit under the policy: none for a young account, too short a record or too
 * many refunds; otherwise the base plus a step per finished order, capped.
 */
export function creditLimit(
  p: CreditPolicy,
  f: BuyerFacts,
): { limitFen: number; reason: IneligibleReason | null } {
  if (f.accountAgeDays < p.minAccountAgeDays) return { limitFen: 0, reason: 'account_too_new' };
  if (f.finishedOrders < p.minCompletedOrders) return { limitFen: 0, reason: 'too_few_orders' };
  if (f.refundedOrders * 10_000 > p.maxRefundShareBps * Math.max(f.finishedOrders, 1)) {
    return { limitFen: 0, reason: 'too_many_refunds' };
  }
  return {
    limitFen: Math.min(p.maxLimitFen, p.baseLimitFen + p.perCompletedOrderFen * f.finishedOrders),
    reason: null,
  };
}

const DAY_MS = 86_400_000;

/** Whole days from `from` to `to` (0 when `to` is earlier). */
export function wholeDays(from: Date, to: Date): number {
  return Math.max(0, Math.floor((to.getTime() - from.getTime()) / DAY_MS));
}

export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * DAY_MS);
}
