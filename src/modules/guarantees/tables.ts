import type { Kysely } from 'kysely';
import type { Funder, PriceChangeCause } from './compensation.ts';

/** The tables guarantees' migrations create; no other module queries them. */
export interface GuaranteesTables {
  price_protection_drops: {
    change_id: string;
    sku_id: string;
    cause: PriceChangeCause;
    funder: Funder;
    at: Date;
    received_at: Date;
    processed_at: Date | null;
    lines_checked: number;
    payouts: number;
    paid_fen: number;
  };
  price_protection_payouts: {
    order_id: string;
    sku_id: string;
    change_id: string;
    buyer_id: string;
    store_id: string;
    funder: Funder;
    quantity: number;
    paid_fen: number;
    now_fen: number;
    amount_fen: number;
    source: 'price_change' | 'buyer_check';
    created_at: Date;
  };
}

/** The database as guarantees sees it: its own tables only. */
export type GuaranteesDb = Kysely<GuaranteesTables>;
