import type { Generated, Kysely } from 'kysely';

export type PriceCause = 'merchant_price' | 'subsidy_start' | 'subsidy_end';
export type Funder = 'merchant' | 'platform';
export type CouponKind = 'store_coupon' | 'platform_coupon' | 'follow_coupon' | 'fan_coupon';

/** The tables pricing's migrations create; no other module queries them. */
export interface PricingTables {
  price_history: {
    id: Generated<number>;
    sku_id: string;
    price_fen: number;
    effective_at: Date;
    cause: Generated<PriceCause>;
    funder: Generated<Funder>;
    subsidy_fen: Generated<number>;
    change_id: string | null;
  };
  sku_prices: {
    sku_id: string;
    store_id: string;
    list_price_fen: number;
    final_fen: number;
    updated_at: Date;
  };
  subsidy_budgets: {
    id: string;
    title: string;
    total_fen: number;
    drawn_fen: Generated<number>;
    starts_at: Date;
    ends_at: Date;
    status: Generated<'active' | 'stopped'>;
    start_announced: Generated<boolean>;
    end_announced: Generated<boolean>;
    created_by: string;
    created_at: Date;
  };
  subsidy_skus: {
    id: string;
    budget_id: string;
    sku_id: string;
    fen_per_unit: number;
    cap_units: number;
    drawn_units: Generated<number>;
  };
  subsidy_draws: {
    id: Generated<number>;
    order_id: string;
    sku_id: string;
    subsidy_sku_id: string;
    budget_id: string;
    units: number;
    fen_per_unit: number;
    released_units: Generated<number>;
    created_at: Date;
  };
  coupons: {
    id: string;
    kind: CouponKind;
    store_id: string | null;
    title: string;
    discount_fen: number;
    threshold_fen: number;
    starts_at: Date;
    ends_at: Date;
    per_buyer_limit: number;
    total_quantity: number;
    claimed_count: Generated<number>;
    auto_claim: boolean;
    status: Generated<'active' | 'stopped'>;
    created_by: string;
    created_at: Date;
  };
  coupon_claims: {
    id: string;
    coupon_id: string;
    buyer_id: string;
    /** The buyer's n-th claim of the coupon (1, 2, …): unique per coupon and buyer (the per-buyer limit). */
    ordinal: number;
    status: 'available' | 'used';
    claimed_at: Date;
    used_at: Date | null;
    checkout_id: string | null;
  };
  coupon_redemptions: { claim_id: string; order_id: string; fen: number; released: Generated<boolean> };
  store_buyers: { store_id: string; buyer_id: string; first_order_at: Date };
}

/**
 * The database as pricing sees it. Its functions are called by catalog and orders inside their own
 * transactions, so they take the platform's Db and narrow it to this.
 */
export type PricingDb = Kysely<PricingTables>;
