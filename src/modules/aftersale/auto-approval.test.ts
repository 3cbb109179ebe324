import { describe, expect, it } from 'vitest';
import { type RequestFacts, routeRequest } from './auto-approval.ts';
import { DEFAULT_POLICY } from './policy.ts';

const now = new Date('2026-03-20T00:00:00Z');
const facts = (over: Partial<RequestFacts> = {}): RequestFacts => ({
  kind: 'refund_only',
  reason: 'quality',
  amountFen: 9900,
  unitPaidFen: 9900,
  orderStatus: 'delivered',
  shippedAt: new Date('2026-03-10T00:00:00Z'),
  deliveredAt: new Date('2026-03-12T00:00:00Z'),
  now,
  buyer: { count30d: 1, amountFen30d: 9900, rejected30d: 0 },
  store: { lowPriceRefundOnly: false },
  ...over,
});

describe('routing a new after-sale request', () => {
  it('leaves returns and exchanges to the merchant, whatever the amount', () => {
    expect(routeRequest(facts({ kind: 'return_refund', amountFen: 100 }), DEFAULT_POLICY)).toEqual({
      to: 'merchant',
    });
    expect(routeRequest(facts({ kind: 'exchange', amountFen: 100 }), DEFAULT_POLICY)).toEqual({
      to: 'merchant',
    });
  });

  it('approves a low amount for a buyer in good standing, not for one with rejections', () => {
    expect(routeRequest(facts({ amountFen: 5000 }), DEFAULT_POLICY)).toEqual({
      to: 'approve',
      rule: 'low_amount_good_standing',
    });
    expect(routeRequest(facts({ amountFen: 5001 }), DEFAULT_POLICY)).toEqual({ to: 'merchant' });
    const rejected = { count30d: 2, amountFen30d: 10000, rejected30d: 1 };
    expect(routeRequest(facts({ amountFen: 5000, buyer: rejected }), DEFAULT_POLICY)).toEqual({
      to: 'merchant',
    });
  });

  it('approves "not received" for a parcel far overdue, and only then', () => {
    const lost = { reason: 'not_received', orderStatus: 'shipped', deliveredAt: null };
    expect(routeRequest(facts({ ...lost }), DEFAULT_POLICY)).toEqual({
      to: 'approve',
      rule: 'parcel_overdue',
    });
    const recent = new Date(now.getTime() - 9 * 86_400_000);
    expect(routeRequest(facts({ ...lost, shippedAt: recent }), DEFAULT_POLICY)).toEqual({ to: 'merchant' });
    expect(routeRequest(facts({ reason: 'not_received' }), DEFAULT_POLICY)).toEqual({ to: 'merchant' });
  });

  it('approves low-price goods of a store that opted in', () => {
    const store = { lowPriceRefundOnly: true };
    expect(routeRequest(facts({ store, unitPaidFen: 2000 }), DEFAULT_POLICY)).toEqual({
      to: 'approve',
      rule: 'merchant_low_price_opt_in',
    });
    expect(routeRequest(facts({ store, unitPaidFen: 2001 }), DEFAULT_POLICY)).toEqual({ to: 'merchant' });
  });

  it('sends a buyer beyond the abuse limits to review before any rule can approve', () => {
    const many = { count30d: 6, amountFen30d: 100, rejected30d: 0 };
    expect(routeRequest(facts({ amountFen: 100, buyer: many }), DEFAULT_POLICY)).toEqual({
      to: 'review',
      rule: 'abuse_count_limit',
    });
    const much = { count30d: 2, amountFen30d: 2_000_01, rejected30d: 0 };
    expect(routeRequest(facts({ amountFen: 100, buyer: much }), DEFAULT_POLICY)).toEqual({
      to: 'review',
      rule: 'abuse_amount_limit',
    });
  });
});
