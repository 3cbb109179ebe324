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
}

/** The database as merchants see it: its own tables only. */
export type MerchantsDb = Kysely<MerchantsTables>;
