import type { Generated } from 'kysely';

export interface PricingTables {
  price_history: { id: Generated<number>; sku_id: string; price_fen: number; effective_at: Date };
}
