import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  channelTriggersProtection,
  compare,
  compensationFen,
  couponIdsOf,
  couponShareFen,
  funderOf,
  groupForQuotes,
  isProtected,
  nowFenFor,
  type ProtectableLine,
  protectionEndsAt,
  protectionReference,
} from './compensation.ts';

const paidAt = new Date('2026-03-01T08:00:00Z');
const line = (over: Partial<ProtectableLine> = {}): ProtectableLine => ({
  orderId: 'o1',
  skuId: 's1',
  paidAt,
  quantity: 2,
  refundedQuantity: 0,
  paidFen: 2000,
  refundedFen: 0,
  couponIds: [],
  couponFen: 0,
  ...over,
});
const days = (n: number) => new Date(paidAt.getTime() + n * 86_400_000);

describe('price protection arithmetic', () => {
  it('protects a line for seven days after payment, not before it was paid nor after', () => {
    expect(isProtected(line(), days(0))).toBe(true);
    expect(isProtected(line(), days(6.99))).toBe(true);
    expect(isProtected(line(), days(7))).toBe(false);
    expect(isProtected(line(), days(-0.1))).toBe(false);
    expect(protectionEndsAt(paidAt).toISOString()).toBe('2026-03-08T08:00:00.000Z');
  });

  it('does not protect a line returned in full or refunded to the fen', () => {
    expect(isProtected(line({ refundedQuantity: 2, refundedFen: 2000 }), days(1))).toBe(false);
    expect(isProtected(line({ refundedFen: 2000 }), days(1))).toBe(false);
    expect(isProtected(line({ refundedQuantity: 1, refundedFen: 1000 }), days(1))).toBe(true);
  });

  it('pays the difference for the same quantity, never more than still paid', () => {
    expect(compensationFen(line(), 1800)).toBe(200);
    expect(compensationFen(line(), 2000)).toBe(0);
    expect(compensationFen(line(), 2500)).toBe(0);
    expect(compensationFen(line({ refundedFen: 200 }), 1600)).toBe(200);
    expect(compensationFen(line({ refundedFen: 1900 }), 0)).toBe(100);
    expect(compensationFen(line(), -5)).toBe(2000);
  });

  it('repeated drops never return more than the buyer paid in total', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.array(fc.integer({ min: 0, max: 200_000 }), { maxLength: 20 }),
        (paid, prices) => {
          let refunded = 0;
          for (const now of prices) {
            const pay = compensationFen(line({ paidFen: paid, refundedFen: refunded }), now);
            expect(pay).toBeGreaterThanOrEqual(0);
            refunded += pay;
          }
          expect(refunded).toBeLessThanOrEqual(paid);
          // And it is exactly the deepest drop's difference (each drop pays only its own share).
          const lowest = Math.min(paid, ...prices);
          expect(refunded).toBe(paid - Math.max(0, lowest));
        },
      ),
    );
  });

  it('groups lines by SKU and held quantity: one quote per group', () => {
    const groups = groupForQuotes([
      line({ orderId: 'a', couponIds: ['c2', 'c1'], couponFen: 100 }),
      line({ orderId: 'b' }),
      line({ orderId: 'c', quantity: 3, refundedQuantity: 1 }),
      line({ orderId: 'd', quantity: 1 }),
      line({ orderId: 'e', skuId: 's2', quantity: 1 }),
    ]);
    const summary = groups.map((g) => [g.skuId, g.quantity, g.lines.map((l) => l.orderId).join('')]);
    expect(summary).toEqual([
      ['s1', 2, 'abc'],
      ['s1', 1, 'd'],
      ['s2', 1, 'e'],
    ]);
  });

  it('keeps the coupons the line used: their share of the held units comes off the re-quoted price', () => {
    // 2 units at 1000 with a 200 coupon paid 1800; the list drops to 900: now 1800 - 200 = 1600.
    const couponed = line({ paidFen: 1800, couponFen: 200 });
    expect(couponShareFen(couponed)).toBe(200);
    expect(nowFenFor(couponed, 1800)).toBe(1600);
    expect(compensationFen(couponed, nowFenFor(couponed, 1800))).toBe(200);
    // One of 3 units returned: two thirds of the coupon stay (rounded down).
    expect(couponShareFen(line({ quantity: 3, refundedQuantity: 1, couponFen: 100 }))).toBe(66);
    expect(nowFenFor(couponed, 100)).toBe(0);
  });

  it('re-applies coupons only, not subsidies', () => {
    expect(
      couponIdsOf([
        { kind: 'subsidy', id: 'x' },
        { kind: 'platform_coupon', id: 'p' },
        { kind: 'store_coupon', id: 'c' },
        { kind: 'store_coupon', id: 'c' },
      ]),
    ).toEqual(['c', 'p']);
  });

  it('flash-sale and live-room prices never trigger protection', () => {
    expect(channelTriggersProtection('standard')).toBe(true);
    expect(channelTriggersProtection('flash')).toBe(false);
    expect(channelTriggersProtection('live')).toBe(false);
  });

  it('charges a merchant price cut to the merchant and a subsidy to the platform; one reference per drop', () => {
    expect(funderOf('merchant_price')).toBe('merchant');
    expect(funderOf('subsidy')).toBe('platform');
    expect(protectionReference('o', 's', 'c')).toBe('price-protection:o:s:c');
  });

  it('answers a check with the comparison, and no difference outside the window', () => {
    expect(compare(line(), 1500, days(1))).toMatchObject({ paidFen: 2000, nowFen: 1500, differenceFen: 500 });
    expect(compare(line(), 1500, days(8))).toMatchObject({ differenceFen: 0, protected: false });
  });
});
