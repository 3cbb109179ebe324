import { sql } from 'kysely';
import { BUSINESS_TIME_ZONE, lastBusinessDays } from '../../platform/business-day.ts';
import type { Db } from '../../platform/db.ts';
import type { StoreDashboard } from './api-schema.ts';
import { SOLD, sourcesOf } from './state-machine.ts';

/** Days in the merchant dashboard's trend, today included. */
export const TREND_DAYS = 30;

export type { StoreDashboard };

/**
 * A store's figures for its dashboard, in two queries: the orders to ship, and the orders sold
 * (paid and not cancelled or refunded since, as the platform's GMV counts them) grouped by the
 * business day they were paid.
 */
export async function storeDashboard(db: Db, storeId: string, now: Date): Promise<StoreDashboard> {
  const days = lastBusinessDays(now, TREND_DAYS);
  const first = days[0] as string;
  const today = days[days.length - 1] as string;
  const toShip = await sql<{ n: number }>`
    select count(*)::int as n from orders
    where store_id = ${storeId} and status = any(${sourcesOf('ship')}::text[])`.execute(db);
  const sold = await sql<{ day: string; orders: number; gmv_fen: string }>`
    select to_char((paid_at at time zone ${BUSINESS_TIME_ZONE})::date, 'YYYY-MM-DD') as day,
           count(*)::int as orders, sum(total_fen)::bigint as gmv_fen
    from orders
    where store_id = ${storeId} and status = any(${SOLD}::text[])
      and paid_at >= ${first}::date::timestamp at time zone ${BUSINESS_TIME_ZONE}
      and paid_at < (${today}::date + 1)::timestamp at time zone ${BUSINESS_TIME_ZONE}
    group by 1`.execute(db);
  const byDay = new Map(sold.rows.map((r) => [r.day, r]));
  const daily = days.map((day) => {
    const row = byDay.get(day);
    return { day, gmvFen: Number(row?.gmv_fen ?? 0), orders: row?.orders ?? 0 };
  });
  const last = daily[daily.length - 1];
  return {
    timeZone: BUSINESS_TIME_ZONE,
    today,
    toShip: toShip.rows[0]?.n ?? 0,
    todayGmvFen: last?.gmvFen ?? 0,
    todayOrders: last?.orders ?? 0,
    daily,
  };
}
