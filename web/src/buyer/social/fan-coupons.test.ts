import { describe, expect, it } from 'vitest';
import { fanCouponAction, grantedAmounts } from './fan-coupons.ts';

const fan = { kind: 'fan_coupon' as const, claimedCount: 0, totalQuantity: 10, perBuyerLimit: 1 };
const follow = { ...fan, kind: 'follow_coupon' as const };

describe('fanCouponAction', () => {
  it('lets a fan claim a fan-only coupon, and asks a non-follower to follow first', () => {
    expect(fanCouponAction(fan, { following: true, held: 0 })).toBe('claim');
    expect(fanCouponAction(fan, { following: false, held: 0 })).toBe('follow');
  });

  it('says claimed once the buyer holds it, following or not', () => {
    expect(fanCouponAction(fan, { following: true, held: 1 })).toBe('claimed');
    expect(fanCouponAction(fan, { following: false, held: 1 })).toBe('claimed');
    expect(fanCouponAction(follow, { following: true, held: 1 })).toBe('claimed');
  });

  it('holds one more when the limit allows it', () => {
    expect(fanCouponAction({ ...fan, perBuyerLimit: 2 }, { following: true, held: 1 })).toBe('claim');
    expect(fanCouponAction({ ...fan, perBuyerLimit: 2 }, { following: true, held: 2 })).toBe('claimed');
  });

  it('says sold out when all are claimed and the buyer holds none', () => {
    const gone = { ...fan, claimedCount: 10 };
    expect(fanCouponAction(gone, { following: true, held: 0 })).toBe('soldOut');
    expect(fanCouponAction(gone, { following: true, held: 1 })).toBe('claimed');
  });

  it('grants a follow-store coupon on following; a follower without it was not a new customer', () => {
    expect(fanCouponAction(follow, { following: false, held: 0 })).toBe('followToGet');
    expect(fanCouponAction(follow, { following: true, held: 0 })).toBe('newCustomersOnly');
  });
});

describe('grantedAmounts', () => {
  it('lists the amounts of the granted coupons', () => {
    expect(grantedAmounts([])).toBe('');
    expect(grantedAmounts([{ discountFen: 500 }])).toBe('¥5.00');
    expect(grantedAmounts([{ discountFen: 500 }, { discountFen: 1000 }], ', ')).toBe('¥5.00, ¥10.00');
  });
});
