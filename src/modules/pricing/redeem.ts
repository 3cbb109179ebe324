import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import { conflict } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Quote } from './quote.ts';

/**
 * Locks, in id order, the subsidy budgets and SKU subsidies that could apply to these SKUs at `at`,
 * so the quote computed next in the same transaction reads counters nobody else can move before the
 * draw: a budget is never overspent, however many checkouts race. One statement.
 */
export async function lockSubsidies(trx: Db, skuIds: string[], at: Date): Promise<void> {
  if (skuIds.length === 0) return;
  await sql`
    with budgets as materialized (
      select b.id from subsidy_budgets b
      where b.id in (select ss.budget_id from subsidy_skus ss where ss.sku_id = any(${skuIds}::uuid[]))
        and b.status = 'active' and b.starts_at <= ${at} and b.ends_at > ${at}
      order by b.id for update
    )
    select ss.id from subsidy_skus ss
    where ss.sku_id = any(${skuIds}::uuid[]) and ss.budget_id in (select id from budgets)
    order by ss.id for update of ss`.execute(trx);
}

export interface Redemption {
  buyerId: string;
  checkoutId: string;
  /** The order each store's lines went to. */
  orderIdOfStore: Map<string, string>;
  at: Date;
}

/**
 * Draws what a checkout's quote uses, inside the checkout's transaction (after `lockSubsidies` and
 * the quote): the subsidy units (per order line, so a cancel or refund gives them back), the coupons
 * (a held claim is used once; an automatic coupon is claimed and used at once, within its total
 * quantity and per-buyer limit), and records the buyer as a customer of the stores.
 * 409 `coupon_unavailable` / `subsidy_exhausted` when something moved under the quote.
 */
export async function redeemQuote(trx: Db, q: Quote, r: Redemption): Promise<void> {
  const orderOfSku = new Map(q.lines.map((l) => [l.skuId, r.orderIdOfStore.get(l.storeId) as string]));
  if (q.subsidies.length > 0) {
    const s = q.subsidies;
    const drawn = await sql<{ n: number; budgets_ok: boolean }>`
      with wanted as (
        select * from unnest(${s.map((x) => x.subsidySkuId)}::uuid[], ${s.map((x) => x.budgetId)}::uuid[],
          ${s.map((x) => x.skuId)}::uuid[], ${s.map((x) => orderOfSku.get(x.skuId))}::uuid[],
          ${s.map((x) => x.units)}::int[], ${s.map((x) => x.fenPerUnit)}::bigint[])
          as t(subsidy_sku_id, budget_id, sku_id, order_id, units, fen_per_unit)
      ), sku_caps as (
        update subsidy_skus ss set drawn_units = ss.drawn_units + w.units
        from wanted w where ss.id = w.subsidy_sku_id and ss.drawn_units + w.units <= ss.cap_units
        returning ss.id
      ), per_budget as (
        select budget_id, sum(units * fen_per_unit) as fen from wanted group by budget_id
      ), budgets as (
        update subsidy_budgets b set drawn_fen = b.drawn_fen + p.fen
        from per_budget p where b.id = p.budget_id and b.drawn_fen + p.fen <= b.total_fen
        returning b.id
      ), draws as (
        insert into subsidy_draws (order_id, sku_id, subsidy_sku_id, budget_id, units, fen_per_unit, created_at)
        select order_id, sku_id, subsidy_sku_id, budget_id, units, fen_per_unit, ${r.at}::timestamptz from wanted
      )
      select (select count(*)::int from sku_caps) as n,
             (select count(*) from budgets) = (select count(*) from per_budget) as budgets_ok`.execute(trx);
    const row = drawn.rows[0];
    if (!row || row.n !== s.length || !row.budgets_ok)
      throw conflict('subsidy_exhausted', 'A subsidy ran out meanwhile; look at the new price and try again');
  }

  if (q.coupons.length > 0) {
    const held = q.coupons.filter((c) => c.claimId !== null);
    const auto = q.coupons.filter((c) => c.claimId === null);
    if (held.length > 0) {
      const used = await sql<{ id: string }>`
        update coupon_claims set status = 'used', used_at = ${r.at}, checkout_id = ${r.checkoutId}
        where id = any(${held.map((c) => c.claimId)}::uuid[]) and buyer_id = ${r.buyerId} and status = 'available'
        returning id`.execute(trx);
      if (used.rows.length !== held.length)
        throw conflict(
          'coupon_unavailable',
          'A coupon was used meanwhile; look at the new price and try again',
        );
    }
    const claimOf = new Map(held.map((c) => [c.id, c.claimId as string]));
    if (auto.length > 0) {
      // Claimed and used at once: the coupon row is locked by the update, then the buyer's claims are counted.
      const took = await sql<{ id: string; per_buyer_limit: number; kind: string; store_id: string | null }>`
        update coupons set claimed_count = claimed_count + 1
        where id = any(${auto.map((c) => c.id)}::uuid[]) and status = 'active' and claimed_count < total_quantity
          and starts_at <= ${r.at} and ends_at > ${r.at}
        returning id, per_buyer_limit, kind, store_id`.execute(trx);
      if (took.rows.length !== auto.length)
        throw conflict(
          'coupon_unavailable',
          'A coupon ran out meanwhile; look at the new price and try again',
        );
      const rows = auto.map((c) => ({ id: newId(), couponId: c.id }));
      const inserted = await sql<{ ok: number }>`
        with mine as (
          select c.coupon_id, count(*)::int as n from coupon_claims c
          where c.buyer_id = ${r.buyerId} and c.coupon_id = any(${auto.map((c) => c.id)}::uuid[]) group by c.coupon_id
        ), allowed as (
          select t.id, t.coupon_id from unnest(${rows.map((x) => x.id)}::uuid[], ${rows.map((x) => x.couponId)}::uuid[]) as t(id, coupon_id)
          join coupons c on c.id = t.coupon_id
          left join mine m on m.coupon_id = t.coupon_id
          where coalesce(m.n, 0) < c.per_buyer_limit
            and (c.kind <> 'follow_coupon' or not exists (
              select 1 from store_buyers sb where sb.store_id = c.store_id and sb.buyer_id = ${r.buyerId}))
        ), ins as (
          insert into coupon_claims (id, coupon_id, buyer_id, status, claimed_at, used_at, checkout_id)
          select id, coupon_id, ${r.buyerId}::uuid, 'used', ${r.at}::timestamptz, ${r.at}::timestamptz, ${r.checkoutId}::uuid
          from allowed returning id
        )
        select count(*)::int as ok from ins`.execute(trx);
      if (inserted.rows[0]?.ok !== auto.length)
        throw conflict(
          'coupon_unavailable',
          'A coupon is no longer yours to use; look at the new price and try again',
        );
      for (const x of rows) claimOf.set(x.couponId, x.id);
    }
    // Each used claim, per order it was spread over.
    const redemptions = new Map<string, { claimId: string; orderId: string; fen: number }>();
    for (const l of q.lines) {
      const orderId = orderOfSku.get(l.skuId) as string;
      for (const d of l.discounts) {
        const claimId = claimOf.get(d.id);
        if (!claimId || d.kind === 'subsidy') continue;
        const key = `${claimId}/${orderId}`;
        const seen = redemptions.get(key) ?? { claimId, orderId, fen: 0 };
        seen.fen += d.fen;
        redemptions.set(key, seen);
      }
    }
    const red = [...redemptions.values()];
    await sql`
      insert into coupon_redemptions (claim_id, order_id, fen)
      select * from unnest(${red.map((x) => x.claimId)}::uuid[], ${red.map((x) => x.orderId)}::uuid[],
        ${red.map((x) => x.fen)}::bigint[])`.execute(trx);
  }

  const stores = [...r.orderIdOfStore.keys()];
  await sql`
    insert into store_buyers (store_id, buyer_id, first_order_at)
    select s, ${r.buyerId}::uuid, ${r.at}::timestamptz from unnest(${stores}::uuid[]) as s
    on conflict do nothing`.execute(trx);
}

/**
 * Gives back what orders drew, when they are cancelled before shipping (or expire unpaid) or are
 * refunded in full: every subsidy unit not yet given back, and each coupon claim once every order
 * it was spread over is given back (a claim used on two stores' orders comes back when both have).
 * Idempotent; two statements whatever the number of orders.
 */
export async function releaseOrderPricing(trx: Db, orderIds: string[]): Promise<void> {
  if (orderIds.length === 0) return;
  await releaseSubsidySql(trx, orderIds, null);
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
): Promise<void> {
  const wanted = lines.filter((l) => l.quantity > 0);
  if (wanted.length === 0) return;
  await releaseSubsidySql(trx, [orderId], wanted);
}

async function releaseSubsidySql(
  trx: Db,
  orderIds: string[],
  lines: Array<{ skuId: string; quantity: number }> | null,
): Promise<void> {
  const cap = lines
    ? sql`least(d.units - d.released_units, coalesce((select q from unnest(${lines.map((l) => l.skuId)}::uuid[],
          ${lines.map((l) => l.quantity)}::int[]) as t(sku, q) where t.sku = d.sku_id), 0))`
    : sql`d.units - d.released_units`;
  await sql`
    with back as (
      select d.id, d.subsidy_sku_id, d.budget_id, d.fen_per_unit, ${cap} as units
      from subsidy_draws d where d.order_id = any(${orderIds}::uuid[]) and d.released_units < d.units
      order by d.id for update
    ), marked as (
      update subsidy_draws d set released_units = d.released_units + b.units from back b
      where d.id = b.id and b.units > 0 returning d.id
    ), sku_caps as (
      update subsidy_skus ss set drawn_units = ss.drawn_units - x.units
      from (select subsidy_sku_id, sum(units)::int as units from back group by subsidy_sku_id) x
      where ss.id = x.subsidy_sku_id and x.units > 0 returning ss.id
    )
    update subsidy_budgets sb set drawn_fen = sb.drawn_fen - x.fen
    from (select budget_id, sum(units * fen_per_unit) as fen from back group by budget_id) x
    where sb.id = x.budget_id and x.fen > 0`.execute(trx);
}
