import { sql } from 'kysely';
import type { FanFact, OrderFact } from '../modules/analytics/index.ts';
import type { Db } from '../platform/db.ts';
import { createProgress } from '../platform/progress.ts';
import { type HistoryStore, historyDays, historyLength } from './history.ts';

/** What the history seed needs of analytics: its bulk path (the subscribers' rollup code, set-based). */
export interface HistoryIngest {
  ingestOrders(facts: OrderFact[]): Promise<{ orders: number }>;
  ingestFanEvents(facts: FanFact[]): Promise<{ events: number }>;
  rebuildRollups(): Promise<void>;
}

export interface HistoryRun {
  months: number;
  seed: number;
  now: Date;
  /** Orders on an average day at the end of the period. */
  ordersPerDay: number;
  progress: boolean;
}

/** Facts handed to analytics at once (its bulk path splits them into statements of 5,000). */
const FLUSH = 10_000;

/**
 * The stores, products and buyers already in the database (the demo's, when it is loaded), so the
 * demo merchants' own figures show the history too. The seed reads them like the demo seed's
 * bookkeeping does: it is not a module, and writes nothing here.
 */
async function existing(db: Db): Promise<{ stores: HistoryStore[]; buyers: string[] }> {
  const stores = await sql<{
    id: string;
    business_type: string;
  }>`select id, business_type from stores`.execute(db);
  const products = await sql<{ id: string; store_id: string; category_id: string; price_fen: number }>`
    select p.id, p.store_id, p.category_id, coalesce(min(k.price_fen), 9900)::int as price_fen
    from products p left join skus k on k.product_id = p.id group by p.id`.execute(db);
  const buyers = await sql<{ id: string }>`select id from accounts where role = 'buyer' order by id`.execute(
    db,
  );
  return {
    stores: stores.rows.map((s) => ({
      storeId: s.id,
      apparel: s.business_type === 'apparel',
      products: products.rows
        .filter((p) => p.store_id === s.id)
        .map((p) => ({ productId: p.id, categoryId: p.category_id, priceFen: p.price_fen })),
    })),
    buyers: buyers.rows.map((b) => b.id),
  };
}

/** Generates the history and ingests it, with a progress bar by day, then rebuilds the rollups. Returns what was new. */
export async function seedHistory(db: Db, analytics: HistoryIngest, run: HistoryRun) {
  const { stores, buyers } = await existing(db);
  const days = historyLength(run.months, run.now);
  const progress = run.progress ? createProgress('history', days) : null;
  let orders: OrderFact[] = [];
  let fans: FanFact[] = [];
  const added = { days: 0, orders: 0, fanEvents: 0 };
  const flush = async () => {
    added.orders += (await analytics.ingestOrders(orders)).orders;
    added.fanEvents += (await analytics.ingestFanEvents(fans)).events;
    orders = [];
    fans = [];
  };
  for (const day of historyDays({ ...run, stores, buyers })) {
    orders.push(...day.orders);
    fans.push(...day.fans);
    if (orders.length >= FLUSH) await flush();
    added.days += 1;
    progress?.update(added.days, day.day);
  }
  await flush();
  progress?.stop();
  // The history is older than the live facts already counted (the demo's orders): loaded after them,
  // a store's first-sale month would stay the later one, so the rollups are recomputed from the facts.
  if (added.orders + added.fanEvents > 0) await analytics.rebuildRollups();
  return added;
}
