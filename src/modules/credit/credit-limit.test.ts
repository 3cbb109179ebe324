import { describe, expect, it } from 'vitest';
import { creditLimit, wholeDays } from './credit-limit.ts';
import type { CreditPolicy } from './policy.ts';

const policy: CreditPolicy = {
  baseLimitFen: 50_000,
  perCompletedOrderFen: 20_000,
  maxLimitFen: 100_000,
  minAccountAgeDays: 30,
  minCompletedOrders: 1,
  maxRefundShareBps: 3000,
  dueDays: 15,
  reminderDays: 3,
  freezeWhenOverdue: true,
  feeBps: 60,
  promotionStartsAt: null,
  promotionEndsAt: null,
};

describe('creditLimit', () => {
  it('gives nothing to a new account, a buyer with no record or too many refunds', () => {
    expect(creditLimit(policy, { accountAgeDays: 3, finishedOrders: 10, refundedOrders: 0 })).toEqual({
      limitFen: 0,
      reason: 'account_too_new',
    });
    expect(creditLimit(policy, { accountAgeDays: 40, finishedOrders: 0, refundedOrders: 0 }).reason).toBe(
      'too_few_orders',
    );
    expect(creditLimit(policy, { accountAgeDays: 40, finishedOrders: 3, refundedOrders: 1 }).reason).toBe(
      'too_many_refunds',
    );
  });

  it('grows with finished orders up to the cap', () => {
    expect(creditLimit(policy, { accountAgeDays: 40, finishedOrders: 1, refundedOrders: 0 }).limitFen).toBe(
      70_000,
    );
    expect(creditLimit(policy, { accountAgeDays: 40, finishedOrders: 4, refundedOrders: 1 }).limitFen).toBe(
      100_000,
    );
  });

  it('counts whole days only', () => {
    expect(wholeDays(new Date('2026-01-01T00:00:00Z'), new Date('2026-01-02T23:59:00Z'))).toBe(1);
    expect(wholeDays(new Date('2026-01-02T00:00:00Z'), new Date('2026-01-01T00:00:00Z'))).toBe(0);
  });
});
