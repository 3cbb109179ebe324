import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import { refreshFinalPrices } from './price-history.ts';

/**
 * Gives back what orders drew, when they are cancelled before shipping (or expire unpaid) or are
 * refunded in full: every subsidy unit not yet given back, and each coupon claim once every order
 * it was spread over is given back (a claim used on two stores' orders comes back when both have).
 * Idempotent; three statements whatever the number of orders.
 */
export async function releaseOrderPricing(trx: Db, orderIds: string[], at: Date): Promise<void> {
  if (orderIds.length === 0) return;
  await releaseSubsidySql(trx, orderIds, null, at);
  await sql`
    with released as (
      update coupon_redemptions set released = true
      where order_id = any(${orderIds}::uuid[]) and not released
      returning claim_id
    )
    update coupon_claims c set status = 'available', used_at = null, checkout_id = null
    where c.id in (select claim_id from released) and c.status = 'used'
      and not exists (select 1 from coupon_redemptions r where r.claim_id = c.id and not r.released
                      and r.order_id <> all(${orderIds}::uuid[]))`.execute(trx);
}

/**
 * Gives back the subsidy of refunded units of an order's lines (a partial refund): up to the units
 * drawn and not yet given back. Idempotent only per call: call it once per refund.
 */
export async function releaseSubsidyUnits(
  trx: Db,
  orderId: string,
  lines: Array<{ skuId: string; quantity: number }>,
  at: Date,
): Promise<void> {
  const wanted = lines.filter((l) => l.quantity > 0);
  if (wanted.length === 0) return;
  await releaseSubsidySql(trx, [orderId], wanted, at);
}

async function releaseSubsidySql(
  trx: Db,
  orderIds: string[],
  lines: Array<{ skuId: string; quantity: number }> | null,
  at: Date,
): Promise<void> {
  const cap = lines
    ? sql`least(d.units - d.released_units, coalesce((select q from unnest(${lines.map((l) => l.skuId)}::uuid[],
          ${lines.map((l) => l.quantity)}::int[]) as t(sku, q) where t.sku = d.sku_id), 0))`
    : sql`d.units - d.released_units`;
  const released = await sql<{ sku_id: string }>`
    with back as (
      select d.id, d.sku_id, d.subsidy_sku_id, d.budget_id, d.fen_per_unit, ${cap} as units
      from subsidy_draws d where d.order_id = any(${orderIds}::uuid[]) and d.released_units < d.units
      order by d.id for update
    ), marked as (
      update subsidy_draws d set released_units = d.released_units + b.units from back b
      where d.id = b.id and b.units > 0 returning d.id
    ), sku_caps as (
      update subsidy_skus ss set drawn_units = ss.drawn_units - x.units
      from (select subsidy_sku_id, sum(units)::int as units from back group by subsidy_sku_id) x
      where ss.id = x.subsidy_sku_id and x.units > 0 returning ss.id
    ), budgets as (
      update subsidy_budgets sb set drawn_fen = sb.drawn_fen - x.fen
      from (select budget_id, sum(units * fen_per_unit) as fen from back group by budget_id) x
      where sb.id = x.budget_id and x.fen > 0 returning sb.id
    )
    select distinct sku_id from back where units > 0`.execute(trx);
  // Units back can bring a subsidy back: the listing's sort follows at once.
  await refreshFinalPrices(
    trx,
    released.rows.map((r) => r.sku_id),
    at,
  );
}
