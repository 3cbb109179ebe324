import type { CouponKind, Funder } from './tables.ts';

/** A coupon the buyer holds (claimId) or could claim automatically (claimId null). */
export interface CouponCandidate {
  couponId: string;
  claimId: string | null;
  kind: CouponKind;
  /** null for a platform coupon. */
  storeId: string | null;
  discountFen: number;
  /** 满X减Y: the amount that must be reached (0: no threshold). */
  thresholdFen: number;
}

/** What a store's lines come to before coupons (after subsidy), and how many lines it has. */
export interface StoreAmount {
  storeId: string;
  payableFen: number;
  lines: number;
}

export interface ChosenCoupon {
  candidate: CouponCandidate;
  /** What it takes off (its face value, capped so every line still pays ≥ 1 fen). */
  fen: number;
}

export interface CouponChoice {
  store: Map<string, ChosenCoupon>;
  platform: ChosenCoupon | null;
  totalFen: number;
}

export const funderOf = (kind: CouponKind): Funder => (kind === 'platform_coupon' ? 'platform' : 'merchant');

/** Above this many combinations the search is greedy (best per store, then the best platform coupon). */
const EXHAUSTIVE_LIMIT = 4096;

/**
 * The best combination of coupons (the most money off in total), with the stacking rules: at most one
 * store coupon (store or follow-store) per store, plus at most one platform coupon. A store coupon's
 * threshold is checked on its store's amount, the platform coupon's on the whole amount after the
 * store coupons. Ties keep the first candidate in the order given (the caller lists held coupons first).
 */
export function bestCoupons(
  stores: readonly StoreAmount[],
  candidates: readonly CouponCandidate[],
): CouponChoice {
  const storeOptions: Array<{ storeId: string; options: Array<ChosenCoupon | null> }> = [];
  for (const s of stores) {
    const options: ChosenCoupon[] = [];
    for (const c of candidates) {
      if (c.storeId !== s.storeId || c.kind === 'platform_coupon') continue;
      if (s.payableFen < c.thresholdFen) continue;
      const fen = Math.min(c.discountFen, s.payableFen - s.lines);
      if (fen > 0) options.push({ candidate: c, fen });
    }
    // Stable: larger first; equal amounts keep the given order.
    options.sort((a, b) => b.fen - a.fen);
    storeOptions.push({ storeId: s.storeId, options: [...dedupe(options), null] });
  }
  const platformCandidates = candidates.filter((c) => c.kind === 'platform_coupon' && c.storeId === null);
  const total = stores.reduce((sum, s) => sum + s.payableFen, 0);
  const lines = stores.reduce((sum, s) => sum + s.lines, 0);
  const platformFor = (after: number): ChosenCoupon | null => {
    let best: ChosenCoupon | null = null;
    for (const c of platformCandidates) {
      if (after < c.thresholdFen) continue;
      const fen = Math.min(c.discountFen, after - lines);
      if (fen > 0 && (!best || fen > best.fen)) best = { candidate: c, fen };
    }
    return best;
  };
  const combos = storeOptions.reduce((n, s) => n * s.options.length, 1);
  let bestChoice: CouponChoice = { store: new Map(), platform: platformFor(total), totalFen: 0 };
  bestChoice.totalFen = bestChoice.platform?.fen ?? 0;
  const consider = (picked: Array<ChosenCoupon | null>) => {
    const storeFen = picked.reduce((sum, p) => sum + (p?.fen ?? 0), 0);
    const platform = platformFor(total - storeFen);
    const fen = storeFen + (platform?.fen ?? 0);
    if (fen > bestChoice.totalFen) {
      const store = new Map<string, ChosenCoupon>();
      picked.forEach((p, i) => {
        if (p) store.set(storeOptions[i].storeId, p);
      });
      bestChoice = { store, platform, totalFen: fen };
    }
  };
  if (combos <= EXHAUSTIVE_LIMIT) {
    const picked: Array<ChosenCoupon | null> = [];
    const walk = (i: number) => {
      if (i === storeOptions.length) return consider(picked);
      for (const o of storeOptions[i].options) {
        picked[i] = o;
        walk(i + 1);
      }
    };
    walk(0);
  } else {
    consider(storeOptions.map((s) => s.options[0]));
  }
  return bestChoice;
}

/** One option per coupon (a buyer holding two claims of one coupon uses the first). */
function dedupe(options: ChosenCoupon[]): ChosenCoupon[] {
  const seen = new Set<string>();
  return options.filter((o) => {
    if (seen.has(o.candidate.couponId)) return false;
    seen.add(o.candidate.couponId);
    return true;
  });
}
