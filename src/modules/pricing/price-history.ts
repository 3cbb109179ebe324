import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import type { Publisher } from '../../platform/events.ts';
import { newId } from '../../platform/ids.ts';
import { subsidyPerUnitSql } from './subsidy-sql.ts';
import type { Funder, PriceCause, PricingDb } from './tables.ts';

export interface PriceChange {
  skuId: string;
  /** The SKU's store (pricing keeps the SKU's price and store for the quote). */
  storeId: string;
  priceFen: number;
}

export interface RecordOptions {
  /** Publishes `price.changed` for each change (not for a new SKU's first price); needed unless `initial`. */
  events?: Publisher;
  /** A new SKU's first price: history and price only, no event. */
  initial?: boolean;
}

export interface PricePoint {
  /** The list price. */
  priceFen: number;
  /** The platform subsidy per unit in effect from then (0 when none). */
  subsidyFen: number;
  effectiveAt: Date;
  cause: PriceCause;
  funder: Funder;
  changeId: string | null;
}

/**
 * Records list prices taking effect at `at` (a new SKU's first price, or a merchant's change) and
 * publishes `price.changed` (cause `merchant_price`, funder merchant) for changes. Call it inside
 * the transaction that writes the price, so the history and the event can never disagree with the
 * SKU. Three statements whatever the number of changes (history, SKU prices, events).
 */
export async function recordPrices(
  trx: Db,
  changes: PriceChange[],
  at: Date,
  options: RecordOptions,
): Promise<void> {
  if (changes.length === 0) return;
  const withIds = changes.map((c) => ({ ...c, changeId: newId() }));
  await (trx as PricingDb)
    .insertInto('price_history')
    .values(
      withIds.map((c) => ({
        sku_id: c.skuId,
        price_fen: c.priceFen,
        effective_at: at,
        cause: 'merchant_price' as const,
        funder: 'merchant' as const,
        change_id: options.initial ? null : c.changeId,
      })),
    )
    .execute();
  // A new SKU has no subsidy yet: its final price is its list price.
  await sql`
    insert into sku_prices (sku_id, store_id, list_price_fen, final_fen, updated_at)
    select * from unnest(${withIds.map((c) => c.skuId)}::uuid[], ${withIds.map((c) => c.storeId)}::uuid[],
      ${withIds.map((c) => c.priceFen)}::bigint[], ${withIds.map((c) => c.priceFen)}::bigint[],
      ${withIds.map(() => at)}::timestamptz[])
    on conflict (sku_id) do update set list_price_fen = excluded.list_price_fen, updated_at = excluded.updated_at`.execute(
    trx,
  );
  if (options.initial) return;
  if (!options.events) throw new Error('a price change publishes price.changed: pass the event bus');
  await refreshFinalPrices(
    trx,
    withIds.map((c) => c.skuId),
    at,
  );
  await options.events.publishAll(
    trx,
    'price.changed',
    withIds.map((c) => ({
      skuId: c.skuId,
      changeId: c.changeId,
      cause: 'merchant_price' as const,
      funder: 'merchant' as const,
      at: at.toISOString(),
    })),
  );
}

/**
 * Recomputes the SKUs' cached subsidy-adjusted unit price at `at` (the listing's price sort reads
 * it). One statement; idempotent.
 */
export async function refreshFinalPrices(db: Db, skuIds: string[], at: Date): Promise<void> {
  if (skuIds.length === 0) return;
  await sql`
    update sku_prices sp
    set final_fen = greatest(1, sp.list_price_fen - ${subsidyPerUnitSql(sql.ref('sp.sku_id'), sql.ref('sp.list_price_fen'), at)})
    where sp.sku_id = any(${skuIds}::uuid[])`.execute(db);
}

/** Every price a SKU has had, newest first (what price protection reads). */
export async function priceHistory(db: Db, skuId: string): Promise<PricePoint[]> {
  const rows = await (db as PricingDb)
    .selectFrom('price_history')
    .select(['price_fen', 'subsidy_fen', 'effective_at', 'cause', 'funder', 'change_id'])
    .where('sku_id', '=', skuId)
    .orderBy('effective_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => ({
    priceFen: Number(r.price_fen),
    subsidyFen: Number(r.subsidy_fen),
    effectiveAt: r.effective_at,
    cause: r.cause,
    funder: r.funder,
    changeId: r.change_id,
  }));
}

/** The list price a SKU had at a moment (null when it did not exist yet). */
export async function priceAt(db: Db, skuId: string, at: Date): Promise<number | null> {
  const row = await (db as PricingDb)
    .selectFrom('price_history')
    .select('price_fen')
    .where('sku_id', '=', skuId)
    .where('cause', '=', 'merchant_price')
    .where('effective_at', '<=', at)
    .orderBy('effective_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? Number(row.price_fen) : null;
}
