import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';

/**
 * Monthly traffic figures for the dashboards (analytics), from the daily rollup and the day's
 * contracts, never from the impression log. Months are business months given by their first day
 * (YYYY-MM-01); both ends included.
 */
export interface ColdStartMonth {
  month: string;
  /** Stores with a cold-start minimum on some day of the month (the new stores the guarantee covers). */
  stores: number;
  /** Of those, the stores whose impressions (every source) reached the minimum on every such day. */
  covered: number;
}

export async function coldStartCoverageByMonth(
  db: Db,
  firstMonth: string,
  lastMonth: string,
): Promise<ColdStartMonth[]> {
  const { rows } = await sql<{ month: string; stores: number; covered: number }>`
    with days as (
      select date_trunc('month', c.day)::date as month, c.store_id,
             coalesce((select sum(d.impressions) from traffic_daily d where d.day = c.day and d.store_id = c.store_id), 0)
               >= c.target_impressions as delivered
      from traffic_contracts c
      where c.source = 'cold_start' and c.kind = 'minimum'
        and c.day >= ${firstMonth}::date and c.day < (${lastMonth}::date + interval '1 month')
    ),
    per_store as (select month, store_id, bool_and(delivered) as covered from days group by month, store_id)
    select to_char(month, 'YYYY-MM-DD') as month, count(*)::int as stores, (count(*) filter (where covered))::int as covered
    from per_store group by month order by month`.execute(db);
  return rows;
}

export interface StoreTrafficMonth {
  month: string;
  source: string;
  impressions: number;
  clicks: number;
  /** Orders credited to a clicked impression of the store. */
  orders: number;
}

/** A store's impressions and clicks by month and traffic source. */
export async function storeTrafficByMonth(
  db: Db,
  storeId: string,
  firstMonth: string,
  lastMonth: string,
): Promise<StoreTrafficMonth[]> {
  const { rows } = await sql<{
    month: string;
    source: string;
    impressions: string;
    clicks: string;
    orders: string;
  }>`
    select to_char(date_trunc('month', day), 'YYYY-MM-DD') as month, source,
           sum(impressions)::bigint as impressions, sum(clicks)::bigint as clicks,
           sum(orders)::bigint as orders
    from traffic_daily
    where store_id = ${storeId} and day >= ${firstMonth}::date and day < (${lastMonth}::date + interval '1 month')
    group by 1, 2 order by 1, 2`.execute(db);
  return rows.map((r) => ({
    ...r,
    impressions: Number(r.impressions),
    clicks: Number(r.clicks),
    orders: Number(r.orders),
  }));
}
