import type { Generated, Kysely } from 'kysely';

/** The tables pricing's migrations create; no other module queries them. */
export interface PricingTables {
  price_history: { id: Generated<number>; sku_id: string; price_fen: number; effective_at: Date };
}

/**
 * The database as pricing sees it. Its functions are called by catalog inside catalog's own
 * transactions, so they take the platform's Db and narrow it to this.
 */
export type PricingDb = Kysely<PricingTables>;
