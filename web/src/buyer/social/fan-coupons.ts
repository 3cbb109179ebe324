/**
 * A store's follow-store and fan-only coupons on its page (docs/FANS.md): the calls, and what each coupon
 * card offers the buyer — pure, so the rules are tested without a browser.
 */
import type { components } from '../../api/schema.gen.ts';
import { api } from '../../api.ts';
import { formatFen } from '../../money.ts';

export type FanCoupon = components['schemas']['Coupon'];

/**
 * What a coupon card shows on the right:
 * - `claim`: a fan may claim this fan-only coupon now;
 * - `follow`: a fan-only coupon, but the buyer does not follow the store (关注后可领);
 * - `followToGet`: a follow-store coupon, granted to new customers when they follow (关注即得);
 * - `newCustomersOnly`: a follow-store coupon the buyer did not get on following (they bought here before);
 * - `claimed`: the buyer holds it (or held it: used, expired);
 * - `soldOut`: a fan-only coupon with nothing left to claim.
 */
export type FanCouponAction = 'claim' | 'follow' | 'followToGet' | 'newCustomersOnly' | 'claimed' | 'soldOut';

export interface FanCouponContext {
  /** Whether the buyer follows the store (false for a visitor). */
  following: boolean;
  /** How many of this coupon the buyer holds (claims of any status). */
  held: number;
}

export function fanCouponAction(
  c: Pick<FanCoupon, 'kind' | 'claimedCount' | 'totalQuantity' | 'perBuyerLimit'>,
  ctx: FanCouponContext,
): FanCouponAction {
  if (ctx.held > 0 && ctx.held >= Math.max(1, c.perBuyerLimit)) return 'claimed';
  if (c.kind === 'follow_coupon') return ctx.following ? 'newCustomersOnly' : 'followToGet';
  if (c.claimedCount >= c.totalQuantity) return 'soldOut';
  return ctx.following ? 'claim' : 'follow';
}

/** "¥5" or "¥5、¥10": the amounts of the coupons a follow granted, for its toast ('' when none). */
export function grantedAmounts(
  coupons: ReadonlyArray<Pick<FanCoupon, 'discountFen'>>,
  separator = '、',
): string {
  return coupons.map((c) => formatFen(c.discountFen)).join(separator);
}

export interface StoreFanCoupons {
  coupons: FanCoupon[];
  following: boolean;
  /** Claims the buyer holds, by coupon id. */
  held: Record<string, number>;
}

export const fanCouponsApi = {
  /** The store's coupons on offer, with whether the buyer follows it and which of them they hold. */
  load: async (storeId: string, buyer: boolean, signal?: AbortSignal): Promise<StoreFanCoupons> => {
    const params = { path: { id: storeId } };
    const [list, follow, mine] = await Promise.all([
      api.get('/stores/{id}/fan-coupons', { params, signal }),
      buyer ? api.get('/stores/{id}/follow', { params, signal }) : Promise.resolve({ following: false }),
      buyer ? api.get('/coupons/mine', { signal }).then((r) => r.items) : Promise.resolve([]),
    ]);
    const held: Record<string, number> = {};
    for (const m of mine) held[m.coupon.id] = (held[m.coupon.id] ?? 0) + 1;
    return { coupons: list.items.filter((c) => c.status === 'active'), following: follow.following, held };
  },
  claim: (storeId: string, couponId: string) =>
    api.post('/stores/{id}/fan-coupons/{couponId}/claim', { params: { path: { id: storeId, couponId } } }),
};
