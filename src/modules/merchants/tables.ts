import type { Kysely } from 'kysely';
import type { BusinessType } from './schema.ts';

/** The tables the merchants' migrations create (stores and their staff); no other module queries them. */
export interface MerchantsTables {
  stores: {
    id: string;
    owner_account_id: string;
    name: string;
    description: string;
    logo_url: string;
    contact_phone: string;
    business_type: BusinessType;
    opening_fee_fen: number;
    deposit_fen: number;
    status: 'open' | 'suspended';
    opened_at: Date;
  };
  store_staff: { store_id: string; account_id: string; staff_role: 'owner' | 'staff' };
  /** The store experience score per (store, business day), in hundredths (210_store_experience_scores.sql). */
  store_experience_scores: {
    store_id: string;
    day: string;
    overall: number;
    product: number;
    logistics: number;
    service: number;
    enough_product: boolean;
    enough_logistics: boolean;
    enough_service: boolean;
    inputs: unknown;
    window_from: Date;
    window_to: Date;
    computed_at: Date;
  };
}

/** The database as merchants see it: its own tables only. */
export type MerchantsDb = Kysely<MerchantsTables>;
