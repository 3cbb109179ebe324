export type BusinessType = 'apparel' | 'food' | 'general';

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
