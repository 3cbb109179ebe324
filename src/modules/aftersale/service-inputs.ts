import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';

/** One store's after-sale figures for a window (the store experience score's service and product terms). */
export interface StoreServiceInputs {
  requests: number;
  handled: number;
  handlingHours: number;
  disputes: number;
  qualityRefunds: number;
}

/** Reasons that say the goods were at fault (the product dimension's quality refunds). */
export const QUALITY_REASONS = ['quality', 'not_as_described'] as const;

/**
 * Per store, one statement over the requests decided in the window (`decided_at` from `from` inclusive
 * to `to` exclusive: the 30 whole days before the scored day, so a recompute of a day reads the same
 * requests). Requests still awaiting a decision (requested, in review) count nowhere yet: they enter
 * the window of the day after they are decided.
 * - `requests`: the requests decided in the window, by anyone (merchant, SLA, rules, operator):
 *   D's denominator (the dispute rate is disputes per decided request);
 * - `handled`, `handlingHours`: of those, decided by the merchant, or approved by the SLA because the
 *   merchant did not decide in time (an answer never given is the slowest), and their summed
 *   request→decision hours: T = (handlingHours + 12·5) / (handled + 5), handling = 5 − T / 12.
 *   Decisions by the platform's rules or an operator are not the merchant's handling;
 * - `disputes`: of those, rejected by the merchant: D = (disputes + 0.1·5) / (requests + 5), disputes = 5 − 10·D;
 * - `qualityRefunds`: the distinct order lines (order, SKU) with a request for quality / not as
 *   described granted in the window (approved, returning, refunded or exchanged; a line asked about
 *   twice counts once): Q = qualityRefunds / (linesDelivered + 5), product −= 10·Q.
 * Stores with no request decided in the window are left out.
 */
export async function serviceInputs(
  db: Db,
  w: { from: Date; to: Date; storeIds?: string[] },
): Promise<Map<string, StoreServiceInputs>> {
  if (w.storeIds?.length === 0) return new Map();
  const stores = w.storeIds ? sql`and store_id = any(${w.storeIds}::uuid[])` : sql``;
  const r = await sql<{
    store_id: string;
    requests: number;
    handled: number;
    handling_hours: number;
    disputes: number;
    quality_refunds: number;
  }>`
    with q as (
      select store_id, order_id, sku_id, status, reason, created_at, decided_at,
             decided_by like 'merchant:%' or decided_by_rule = 'sla_timeout' as by_merchant,
             reason = any(${QUALITY_REASONS}::text[])
               and status in ('approved', 'returning', 'refunded', 'exchanged') as quality_granted
      from aftersale_requests
      where decided_at >= ${w.from} and decided_at < ${w.to} ${stores}
    )
    select store_id,
           count(*)::int as requests,
           count(*) filter (where by_merchant)::int as handled,
           coalesce(sum(extract(epoch from decided_at - created_at) / 3600) filter (where by_merchant), 0)::float8
             as handling_hours,
           count(*) filter (where status = 'rejected' and by_merchant)::int as disputes,
           count(distinct (order_id, sku_id)) filter (where quality_granted)::int as quality_refunds
    from q
    group by store_id`.execute(db);
  return new Map(
    r.rows.map((row) => [
      row.store_id,
      {
        requests: row.requests,
        handled: row.handled,
        handlingHours: Number(row.handling_hours),
        disputes: row.disputes,
        qualityRefunds: row.quality_refunds,
      },
    ]),
  );
}
