import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';

/** Hours a paid order has to ship: the platform's shipping promise the experience score checks. */
export const SHIP_WITHIN_HOURS = 48;

/**
 * A window of time, `from` inclusive and `to` exclusive (the store experience score reads the 30 whole
 * Asia/Shanghai days before the scored day, so a recompute of a day reads the same events), optionally
 * for some stores only.
 */
export interface InputWindow {
  from: Date;
  to: Date;
  storeIds?: string[];
}

/** One store's logistics figures for a window (the store experience score's logistics and product terms). */
export interface StoreLogisticsInputs {
  due: number;
  onTime: number;
  delivered: number;
  deliveryHours: number;
  linesDelivered: number;
}

/**
 * Per store, one statement; every time is in the window when `from` ≤ time < `to`:
 * - `due`: paid orders whose ship deadline (paid_at + 48 h) fell in the window, unless the order was
 *   closed (refunded) unshipped before that deadline: S's denominator;
 * - `onTime`: of those, shipped by the deadline: S = (onTime + 0.9·5) / (due + 5), ship = 5 − 10·(1 − S);
 * - `delivered`, `deliveryHours`: orders delivered in the window and their summed shipped→delivered
 *   hours: H = (deliveryHours + 48·5) / (delivered + 5), delivery = 5 − (H − 24) / 24;
 * - `linesDelivered`: the lines of those delivered orders, the quality-refund rate's denominator
 *   Q = qualityRefunds / (linesDelivered + 5).
 * Stores with none of these in the window are left out (their figures are all 0).
 */
export async function logisticsInputs(db: Db, w: InputWindow): Promise<Map<string, StoreLogisticsInputs>> {
  if (w.storeIds?.length === 0) return new Map();
  const stores = w.storeIds ? sql`and store_id = any(${w.storeIds}::uuid[])` : sql``;
  const within = sql`make_interval(hours => ${SHIP_WITHIN_HOURS})`;
  const r = await sql<{
    store_id: string;
    due: number;
    on_time: number;
    delivered: number;
    delivery_hours: number;
    lines_delivered: number;
  }>`
    with o as (
      select id, store_id, shipped_at, delivered_at, closed_at, paid_at + ${within} as deadline,
             (delivered_at >= ${w.from} and delivered_at < ${w.to}) as was_delivered
      from orders
      where paid_at is not null ${stores}
        and ((paid_at >= ${w.from}::timestamptz - ${within} and paid_at < ${w.to}::timestamptz - ${within})
             or (delivered_at >= ${w.from} and delivered_at < ${w.to}))
    ), d as (
      select o.*, case when was_delivered
                  then (select count(*) from order_lines l where l.order_id = o.id) else 0 end as lines,
             deadline >= ${w.from} and deadline < ${w.to}
                and not (shipped_at is null and closed_at is not null and closed_at <= deadline) as is_due
      from o
    )
    select store_id,
           count(*) filter (where is_due)::int as due,
           count(*) filter (where is_due and shipped_at <= deadline)::int as on_time,
           count(*) filter (where was_delivered)::int as delivered,
           coalesce(sum(extract(epoch from delivered_at - shipped_at) / 3600)
                      filter (where was_delivered and shipped_at is not null), 0)::float8 as delivery_hours,
           coalesce(sum(lines), 0)::int as lines_delivered
    from d
    group by store_id`.execute(db);
  return new Map(
    r.rows.map((row) => [
      row.store_id,
      {
        due: row.due,
        onTime: row.on_time,
        delivered: row.delivered,
        deliveryHours: Number(row.delivery_hours),
        linesDelivered: row.lines_delivered,
      },
    ]),
  );
}
