import type { Db } from '../../platform/db.ts';
import type { PricingDb } from './tables.ts';

export interface PriceChange {
  skuId: string;
  priceFen: number;
}

export interface PricePoint {
  priceFen: number;
  effectiveAt: Date;
}

/**
 * Records list prices taking effect at `at` (a new SKU's first price, or a change). Call it inside
 * the transaction that writes the price, so the history can never disagree with the SKU.
 * One statement whatever the number of changes.
 */
export async function recordPrices(trx: Db, changes: PriceChange[], at: Date): Promise<void> {
  if (changes.length === 0) return;
  await (trx as PricingDb)
    .insertInto('price_history')
    .values(changes.map((c) => ({ sku_id: c.skuId, price_fen: c.priceFen, effective_at: at })))
    .execute();
}

/** Every price a SKU has had, newest first (what price protection reads). */
export async function priceHistory(db: Db, skuId: string): Promise<PricePoint[]> {
  const rows = await (db as PricingDb)
    .selectFrom('price_history')
    .select(['price_fen', 'effective_at'])
    .where('sku_id', '=', skuId)
    .orderBy('effective_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => ({ priceFen: r.price_fen, effectiveAt: r.effective_at }));
}

/** The list price a SKU had at a moment (null when it did not exist yet). */
export async function priceAt(db: Db, skuId: string, at: Date): Promise<number | null> {
  const row = await (db as PricingDb)
    .selectFrom('price_history')
    .select('price_fen')
    .where('sku_id', '=', skuId)
    .where('effective_at', '<=', at)
    .orderBy('effective_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.price_fen ?? null;
}
