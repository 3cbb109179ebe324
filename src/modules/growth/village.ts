/**
 * The newbie village's steps (商家新手村), in the order a new store meets them, each with its reward:
 * launch-plan traffic credits (impressions), or the fee-free period (免佣期: the store joins the active
 * commission-rebate programmes at its first paid order, which pay back the platform's commission of its
 * paid orders for the programme's days through the ledger).
 */
export const VILLAGE_STEPS = [
  { key: 'profile', reward: { kind: 'traffic', amount: 1_000 } },
  { key: 'first_product', reward: { kind: 'traffic', amount: 2_000 } },
  { key: 'size_chart', reward: { kind: 'traffic', amount: 1_000 }, apparelOnly: true },
  { key: 'first_video', reward: { kind: 'traffic', amount: 2_000 } },
  { key: 'first_live', reward: { kind: 'traffic', amount: 3_000 } },
  { key: 'first_order', reward: { kind: 'fee_free', amount: 0 } },
  { key: 'first_shipment', reward: { kind: 'traffic', amount: 2_000 } },
  { key: 'first_good_review', reward: { kind: 'traffic', amount: 3_000 } },
] as const satisfies ReadonlyArray<{
  key: string;
  reward: { kind: 'traffic' | 'fee_free'; amount: number };
  apparelOnly?: boolean;
}>;

export type VillageStepKey = (typeof VILLAGE_STEPS)[number]['key'];
export type RewardKind = 'traffic' | 'fee_free' | 'none';

export interface VillageStep {
  key: VillageStepKey;
  /** Counted in the progress (the size chart only for apparel stores). */
  required: boolean;
  done: boolean;
  doneAt: string | null;
  /** The reward: planned (not done yet) or granted (`amount` is what was granted). */
  reward: { kind: RewardKind; amount: number; granted: boolean };
}

export interface Village {
  steps: VillageStep[];
  /** Required steps done, out of `total` required. */
  done: number;
  total: number;
}

/** A review that completes the village's positive-review step: rated 4 or 5 by the buyer (not the default). */
export const isGoodReview = (r: { rating: number; isDefault: boolean }) => r.rating >= 4 && !r.isDefault;

/** A store profile is complete with a description and a logo (the name and phone are set at opening). */
export const profileComplete = (p: { description: string; logoUrl: string }) =>
  p.description.trim().length > 0 && p.logoUrl.trim().length > 0;

/** The incentive a store earned: rate × net GMV (never below 0), capped; whole fen, rounded down. */
export function earnedFen(i: {
  gmvFen: number;
  refundsFen: number;
  rateBps: number;
  capFen: number;
}): number {
  const net = Math.max(0, i.gmvFen - i.refundsFen);
  return Math.min(i.capFen, Number((BigInt(net) * BigInt(i.rateBps)) / 10_000n));
}
