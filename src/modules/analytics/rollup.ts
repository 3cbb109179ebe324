import { sql } from 'kysely';
import { BUSINESS_TIME_ZONE } from '../../platform/business-day.ts';
import type { Db } from '../../platform/db.ts';

/**
 * The facts analytics keeps and the one code path that moves the rollups: each statement inserts a
 * batch of facts (`on conflict do nothing`) and moves every rollup from the rows it actually inserted,
 * so a redelivered event or a re-ingested batch changes nothing. The subscribers call it with one fact,
 * the history seed and the benchmark with thousands. Every upsert takes its rows in key order, so two
 * batches touching the same rows wait for each other instead of deadlocking.
 */
export interface OrderFactLine {
  productId: string;
  /** The product's leaf category (a sub-category, catalog's categories). */
  categoryId: string;
  /** The attribution channel of the line (platform/attribution.ts). */
  channel: string;
  amountFen: number;
  quantity: number;
}

export interface RefundFact {
  /** What makes the refund one (`aftersale:<request>`, `cancelled:<order>`); a second one with it is ignored. */
  key: string;
  orderId: string;
  storeId: string;
  reason: string;
  amountFen: number;
  /**
   * The whole order went back (a paid order cancelled): the amount is the order's paid total from its
   * fact, as GMV counts it; `amountFen` only when the order's fact is not known.
   */
  wholeOrder?: boolean;
  at: Date | string;
}

export interface OrderFact {
  orderId: string;
  storeId: string;
  buyerId: string;
  placedAt: Date | string;
  /** Unpaid orders are not counted (an order counts from its payment). */
  paidAt: Date | string | null;
  /** What the buyer paid for the order; Σ lines' amounts when left out. */
  totalFen?: number;
  lines: OrderFactLine[];
  /** Refunds of this order (the history seed's; live refunds come from their events). */
  refunds?: Array<Omit<RefundFact, 'orderId' | 'storeId' | 'key'> & { key?: string }>;
}

export const FAN_SOURCES = ['live', 'video', 'store', 'coupon', 'product', 'other'] as const;

export interface FanFact {
  storeId: string;
  buyerId: string;
  kind: 'follow' | 'unfollow';
  /** Where the follow came from; unfollows have none. */
  source: (typeof FAN_SOURCES)[number] | null;
  at: Date | string;
}

/** Monthly GMV from which a store counts among "merchants over ¥2M" (in fen). */
export const OVER_2M_FEN = 200_000_000;

const iso = (at: Date | string) => (typeof at === 'string' ? at : at.toISOString());
/** The business day and month (its first day) of an instant column, as SQL. */
const dayOf = (column: string) => sql.raw(`(${column} at time zone '${BUSINESS_TIME_ZONE}')::date`);

/** Paid orders (and their refunds): returns how many orders were new. */
export async function ingestOrderFacts(db: Db, facts: OrderFact[]): Promise<number> {
  const paid = facts.filter((f) => f.paidAt !== null);
  const refunds: RefundFact[] = facts.flatMap((f) =>
    (f.refunds ?? []).map((r, i) => ({
      key: r.key ?? `history:${f.orderId}:${i}`,
      orderId: f.orderId,
      storeId: f.storeId,
      reason: r.reason,
      amountFen: r.amountFen,
      at: r.at,
    })),
  );
  let added = 0;
  if (paid.length > 0) added = await insertPaidOrders(db, paid);
  if (refunds.length > 0) await ingestRefundFacts(db, refunds);
  return added;
}

async function insertPaidOrders(db: Db, facts: OrderFact[]): Promise<number> {
  const orders = facts.map((f) => ({
    order_id: f.orderId,
    store_id: f.storeId,
    buyer_id: f.buyerId,
    placed_at: iso(f.placedAt),
    paid_at: iso(f.paidAt as Date | string),
    total_fen: f.totalFen ?? f.lines.reduce((sum, l) => sum + l.amountFen, 0),
  }));
  const lines = facts.flatMap((f) =>
    f.lines.map((l) => ({
      order_id: f.orderId,
      product_id: l.productId,
      category_id: l.categoryId,
      channel: l.channel,
      amount_fen: l.amountFen,
      quantity: l.quantity,
    })),
  );
  const { rows } = await sql<{ added: number }>`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(orders)}::jsonb)
        as f(order_id uuid, store_id uuid, buyer_id uuid, placed_at timestamptz, paid_at timestamptz, total_fen bigint)
    ),
    new_orders as (
      insert into analytics_orders (order_id, store_id, buyer_id, placed_at, paid_at, day, month, total_fen)
      select order_id, store_id, buyer_id, placed_at, paid_at, ${dayOf('paid_at')},
             date_trunc('month', ${dayOf('paid_at')})::date, total_fen
      from input order by order_id
      on conflict (order_id) do nothing
      returning order_id, store_id, buyer_id, day, month, total_fen
    ),
    input_lines as (
      select * from jsonb_to_recordset(${JSON.stringify(lines)}::jsonb)
        as l(order_id uuid, product_id uuid, category_id text, channel text, amount_fen bigint, quantity integer)
    ),
    sold as (
      select o.month, o.buyer_id, o.store_id, l.*
      from input_lines l join new_orders o using (order_id)
    ),
    new_lines as (
      insert into analytics_order_lines (order_id, product_id, category_id, channel, amount_fen, quantity)
      select order_id, product_id, category_id, channel, amount_fen, quantity from sold
      returning 1
    ),
    new_buyers as (
      insert into analytics_month_buyers (month, buyer_id)
      select distinct month, buyer_id from new_orders order by 1, 2
      on conflict do nothing returning month
    ),
    new_products as (
      insert into analytics_month_products (month, product_id)
      select distinct month, product_id from sold order by 1, 2
      on conflict do nothing returning month
    ),
    new_buyer_categories as (
      insert into analytics_month_buyer_categories (month, buyer_id, category_id)
      select distinct month, buyer_id, category_id from sold order by 1, 2, 3
      on conflict do nothing returning month
    ),
    new_store_buyers as (
      insert into analytics_store_month_buyers (store_id, month, buyer_id)
      select distinct store_id, month, buyer_id from new_orders order by 1, 2, 3
      on conflict do nothing returning store_id, month
    ),
    first_sales as (
      insert into analytics_store_first_sale (store_id, month)
      select store_id, min(month) from new_orders group by store_id order by store_id
      on conflict do nothing returning month
    ),
    store_days as (
      insert into analytics_store_days as s (store_id, day, paid_orders, gmv_fen)
      select store_id, day, count(*), sum(total_fen) from new_orders group by store_id, day order by store_id, day
      on conflict (store_id, day) do update
        set paid_orders = s.paid_orders + excluded.paid_orders, gmv_fen = s.gmv_fen + excluded.gmv_fen
      returning 1
    ),
    store_batch as (
      select store_id, month, count(*) as orders, sum(total_fen) as gmv from new_orders group by store_id, month
    ),
    buyer_counts as (select store_id, month, count(*) as buyers from new_store_buyers group by store_id, month),
    store_months as (
      insert into analytics_store_months as s (store_id, month, paid_orders, gmv_fen, buyers)
      select b.store_id, b.month, b.orders, b.gmv, coalesce(n.buyers, 0)
      from store_batch b left join buyer_counts n using (store_id, month)
      order by b.store_id, b.month
      on conflict (store_id, month) do update
        set paid_orders = s.paid_orders + excluded.paid_orders, gmv_fen = s.gmv_fen + excluded.gmv_fen,
            buyers = s.buyers + excluded.buyers
      returning s.store_id, s.month, s.paid_orders, s.gmv_fen
    ),
    -- The store-month row after this batch, less the batch, is the row before it: a store starts
    -- selling (or crosses ¥2M) in the statement that moves it across, whichever batch that is.
    crossings as (
      select m.month,
             count(*) filter (where m.paid_orders = b.orders) as became_selling,
             count(*) filter (where m.gmv_fen >= ${OVER_2M_FEN} and m.gmv_fen - b.gmv < ${OVER_2M_FEN}) as crossed
      from store_months m join store_batch b using (store_id, month)
      group by m.month
    ),
    channels as (
      insert into analytics_platform_month_channels as c (month, channel, gmv_fen)
      select month, channel, sum(amount_fen) from sold group by month, channel order by month, channel
      on conflict (month, channel) do update set gmv_fen = c.gmv_fen + excluded.gmv_fen
      returning 1
    ),
    deltas as (
      select month, k, sum(n)::bigint as n from (
        select month, 'paid_orders' as k, 1::bigint as n from new_orders
        union all select month, 'gmv_fen', total_fen from new_orders
        union all select month, 'active_buyers', 1 from new_buyers
        union all select month, 'selling_products', 1 from new_products
        union all select month, 'buyer_categories', 1 from new_buyer_categories
        union all select month, 'newly_selling_merchants', 1 from first_sales
        union all select month, 'selling_merchants', became_selling from crossings
        union all select month, 'merchants_over_2m', crossed from crossings
      ) u group by month, k
    ),
    platform as (
      insert into analytics_platform_month as p (month, paid_orders, gmv_fen, active_buyers, selling_products,
        buyer_categories, newly_selling_merchants, selling_merchants, merchants_over_2m)
      select month,
             coalesce(sum(n) filter (where k = 'paid_orders'), 0),
             coalesce(sum(n) filter (where k = 'gmv_fen'), 0),
             coalesce(sum(n) filter (where k = 'active_buyers'), 0),
             coalesce(sum(n) filter (where k = 'selling_products'), 0),
             coalesce(sum(n) filter (where k = 'buyer_categories'), 0),
             coalesce(sum(n) filter (where k = 'newly_selling_merchants'), 0),
             coalesce(sum(n) filter (where k = 'selling_merchants'), 0),
             coalesce(sum(n) filter (where k = 'merchants_over_2m'), 0)
      from deltas group by month order by month
      on conflict (month) do update set
        paid_orders = p.paid_orders + excluded.paid_orders,
        gmv_fen = p.gmv_fen + excluded.gmv_fen,
        active_buyers = p.active_buyers + excluded.active_buyers,
        selling_products = p.selling_products + excluded.selling_products,
        buyer_categories = p.buyer_categories + excluded.buyer_categories,
        newly_selling_merchants = p.newly_selling_merchants + excluded.newly_selling_merchants,
        selling_merchants = p.selling_merchants + excluded.selling_merchants,
        merchants_over_2m = p.merchants_over_2m + excluded.merchants_over_2m
      returning 1
    )
    select (select count(*) from new_orders)::int as added,
           (select count(*) from new_lines) + (select count(*) from store_days) + (select count(*) from channels)
             + (select count(*) from platform) as moved`.execute(db);
  return rows[0]?.added ?? 0;
}

/** Refunds: returns how many were new. */
export async function ingestRefundFacts(db: Db, refunds: RefundFact[]): Promise<number> {
  if (refunds.length === 0) return 0;
  const input = refunds.map((r) => ({
    refund_key: r.key,
    order_id: r.orderId,
    store_id: r.storeId,
    reason: r.reason,
    amount_fen: r.amountFen,
    whole_order: r.wholeOrder ?? false,
    at: iso(r.at),
  }));
  const { rows } = await sql<{ added: number }>`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(input)}::jsonb)
        as r(refund_key text, order_id uuid, store_id uuid, reason text, amount_fen bigint, whole_order boolean,
             at timestamptz)
    ),
    new_refunds as (
      insert into analytics_refunds (refund_key, order_id, store_id, reason, amount_fen, at, day, month)
      select i.refund_key, i.order_id, i.store_id, i.reason,
             case when i.whole_order then coalesce(o.total_fen, i.amount_fen) else i.amount_fen end,
             i.at, ${dayOf('i.at')}, date_trunc('month', ${dayOf('i.at')})::date
      from input i left join analytics_orders o on i.whole_order and o.order_id = i.order_id
      order by i.refund_key
      on conflict (refund_key) do nothing
      returning store_id, reason, amount_fen, day, month
    ),
    platform as (
      insert into analytics_platform_month as p (month, refunds, refund_fen)
      select month, count(*), sum(amount_fen) from new_refunds group by month order by month
      on conflict (month) do update
        set refunds = p.refunds + excluded.refunds, refund_fen = p.refund_fen + excluded.refund_fen
      returning 1
    ),
    platform_reasons as (
      insert into analytics_platform_month_refund_reasons as p (month, reason, refunds, refund_fen)
      select month, reason, count(*), sum(amount_fen) from new_refunds group by month, reason order by month, reason
      on conflict (month, reason) do update
        set refunds = p.refunds + excluded.refunds, refund_fen = p.refund_fen + excluded.refund_fen
      returning 1
    ),
    store_days as (
      insert into analytics_store_days as s (store_id, day, refunds, refund_fen)
      select store_id, day, count(*), sum(amount_fen) from new_refunds group by store_id, day order by store_id, day
      on conflict (store_id, day) do update
        set refunds = s.refunds + excluded.refunds, refund_fen = s.refund_fen + excluded.refund_fen
      returning 1
    ),
    store_months as (
      insert into analytics_store_months as s (store_id, month, refunds, refund_fen)
      select store_id, month, count(*), sum(amount_fen) from new_refunds group by store_id, month order by store_id, month
      on conflict (store_id, month) do update
        set refunds = s.refunds + excluded.refunds, refund_fen = s.refund_fen + excluded.refund_fen
      returning 1
    ),
    store_reasons as (
      insert into analytics_store_month_refund_reasons as s (store_id, month, reason, refunds, refund_fen)
      select store_id, month, reason, count(*), sum(amount_fen) from new_refunds group by store_id, month, reason
      order by store_id, month, reason
      on conflict (store_id, month, reason) do update
        set refunds = s.refunds + excluded.refunds, refund_fen = s.refund_fen + excluded.refund_fen
      returning 1
    )
    select (select count(*) from new_refunds)::int as added,
           -- Store rows before platform rows, as the orders' statement takes them.
           (select count(*) from store_days) + (select count(*) from store_months) + (select count(*) from store_reasons)
             + (select count(*) from platform_reasons) + (select count(*) from platform) as moved`.execute(
    db,
  );
  return rows[0]?.added ?? 0;
}

/** Follows and unfollows: returns how many were new. */
export async function ingestFanFacts(db: Db, facts: FanFact[]): Promise<number> {
  if (facts.length === 0) return 0;
  const input = facts.map((f) => ({
    store_id: f.storeId,
    buyer_id: f.buyerId,
    kind: f.kind,
    source: f.kind === 'follow' ? (f.source ?? 'other') : '',
    at: iso(f.at),
  }));
  const { rows } = await sql<{ added: number }>`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(input)}::jsonb)
        as f(store_id uuid, buyer_id uuid, kind text, source text, at timestamptz)
    ),
    new_events as (
      insert into analytics_fan_events (store_id, buyer_id, at, kind, source, day, month)
      select store_id, buyer_id, at, kind, source, ${dayOf('at')}, date_trunc('month', ${dayOf('at')})::date
      from input order by store_id, buyer_id, at, kind
      on conflict do nothing
      returning store_id, kind, source, day, month
    ),
    store_days as (
      insert into analytics_store_days as s (store_id, day, follows, unfollows)
      select store_id, day, count(*) filter (where kind = 'follow'), count(*) filter (where kind = 'unfollow')
      from new_events group by store_id, day order by store_id, day
      on conflict (store_id, day) do update
        set follows = s.follows + excluded.follows, unfollows = s.unfollows + excluded.unfollows
      returning 1
    ),
    store_months as (
      insert into analytics_store_months as s (store_id, month, follows, unfollows)
      select store_id, month, count(*) filter (where kind = 'follow'), count(*) filter (where kind = 'unfollow')
      from new_events group by store_id, month order by store_id, month
      on conflict (store_id, month) do update
        set follows = s.follows + excluded.follows, unfollows = s.unfollows + excluded.unfollows
      returning 1
    ),
    sources as (
      insert into analytics_store_month_fan_sources as s (store_id, month, source, follows)
      select store_id, month, source, count(*) from new_events where kind = 'follow' group by store_id, month, source
      order by store_id, month, source
      on conflict (store_id, month, source) do update set follows = s.follows + excluded.follows
      returning 1
    )
    select (select count(*) from new_events)::int as added,
           (select count(*) from store_days) + (select count(*) from store_months) + (select count(*) from sources) as moved`.execute(
    db,
  );
  return rows[0]?.added ?? 0;
}

const ROLLUPS = [
  'analytics_month_buyers',
  'analytics_month_products',
  'analytics_month_buyer_categories',
  'analytics_store_month_buyers',
  'analytics_store_first_sale',
  'analytics_platform_month',
  'analytics_platform_month_channels',
  'analytics_platform_month_refund_reasons',
  'analytics_store_days',
  'analytics_store_months',
  'analytics_store_month_refund_reasons',
  'analytics_store_month_fan_sources',
];

/**
 * Every rollup recomputed from the facts (after a bulk load out of order, or to check the incremental
 * path: both must agree). The facts are locked against writers while it runs.
 */
export async function rebuildRollups(db: Db): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`lock table analytics_orders, analytics_order_lines, analytics_refunds, analytics_fan_events
      in share mode`.execute(trx);
    await sql.raw(`truncate ${ROLLUPS.join(', ')}`).execute(trx);
    await sql`insert into analytics_month_buyers (month, buyer_id)
      select distinct month, buyer_id from analytics_orders`.execute(trx);
    await sql`insert into analytics_month_products (month, product_id)
      select distinct o.month, l.product_id from analytics_order_lines l join analytics_orders o using (order_id)`.execute(
      trx,
    );
    await sql`insert into analytics_month_buyer_categories (month, buyer_id, category_id)
      select distinct o.month, o.buyer_id, l.category_id
      from analytics_order_lines l join analytics_orders o using (order_id)`.execute(trx);
    await sql`insert into analytics_store_month_buyers (store_id, month, buyer_id)
      select distinct store_id, month, buyer_id from analytics_orders`.execute(trx);
    await sql`insert into analytics_store_first_sale (store_id, month)
      select store_id, min(month) from analytics_orders group by store_id`.execute(trx);
    await sql`insert into analytics_store_days (store_id, day, paid_orders, gmv_fen, refunds, refund_fen, follows, unfollows)
      select store_id, day, sum(paid_orders), sum(gmv_fen), sum(refunds), sum(refund_fen), sum(follows), sum(unfollows)
      from (
        select store_id, day, 1 as paid_orders, total_fen as gmv_fen, 0 as refunds, 0 as refund_fen, 0 as follows, 0 as unfollows
        from analytics_orders
        union all select store_id, day, 0, 0, 1, amount_fen, 0, 0 from analytics_refunds
        union all select store_id, day, 0, 0, 0, 0, (kind = 'follow')::int, (kind = 'unfollow')::int from analytics_fan_events
      ) u group by store_id, day`.execute(trx);
    await sql`insert into analytics_store_months (store_id, month, paid_orders, gmv_fen, buyers, refunds, refund_fen, follows, unfollows)
      select store_id, month, sum(paid_orders), sum(gmv_fen), sum(buyers), sum(refunds), sum(refund_fen), sum(follows), sum(unfollows)
      from (
        select store_id, month, 1 as paid_orders, total_fen as gmv_fen, 0 as buyers, 0 as refunds, 0 as refund_fen,
               0 as follows, 0 as unfollows
        from analytics_orders
        union all select store_id, month, 0, 0, 1, 0, 0, 0, 0 from analytics_store_month_buyers
        union all select store_id, month, 0, 0, 0, 1, amount_fen, 0, 0 from analytics_refunds
        union all select store_id, month, 0, 0, 0, 0, 0, (kind = 'follow')::int, (kind = 'unfollow')::int
          from analytics_fan_events
      ) u group by store_id, month`.execute(trx);
    await sql`insert into analytics_store_month_refund_reasons (store_id, month, reason, refunds, refund_fen)
      select store_id, month, reason, count(*), sum(amount_fen) from analytics_refunds group by store_id, month, reason`.execute(
      trx,
    );
    await sql`insert into analytics_store_month_fan_sources (store_id, month, source, follows)
      select store_id, month, source, count(*) from analytics_fan_events where kind = 'follow'
      group by store_id, month, source`.execute(trx);
    await sql`insert into analytics_platform_month_channels (month, channel, gmv_fen)
      select o.month, l.channel, sum(l.amount_fen)
      from analytics_order_lines l join analytics_orders o using (order_id) group by o.month, l.channel`.execute(
      trx,
    );
    await sql`insert into analytics_platform_month_refund_reasons (month, reason, refunds, refund_fen)
      select month, reason, count(*), sum(amount_fen) from analytics_refunds group by month, reason`.execute(
      trx,
    );
    await sql`insert into analytics_platform_month (month, paid_orders, gmv_fen, active_buyers, selling_products,
        buyer_categories, newly_selling_merchants, selling_merchants, merchants_over_2m, refunds, refund_fen)
      select month, sum(a), sum(b), sum(c), sum(d), sum(e), sum(f), sum(g), sum(h), sum(i), sum(j) from (
        select month, paid_orders as a, gmv_fen as b, 0 as c, 0 as d, 0 as e, 0 as f, 0 as g, 0 as h,
               refunds as i, refund_fen as j
        from analytics_store_months
        union all select month, 0, 0, count(*), 0, 0, 0, 0, 0, 0, 0 from analytics_month_buyers group by month
        union all select month, 0, 0, 0, count(*), 0, 0, 0, 0, 0, 0 from analytics_month_products group by month
        union all select month, 0, 0, 0, 0, count(*), 0, 0, 0, 0, 0 from analytics_month_buyer_categories group by month
        union all select month, 0, 0, 0, 0, 0, count(*), 0, 0, 0, 0 from analytics_store_first_sale group by month
        union all select month, 0, 0, 0, 0, 0, 0, (paid_orders > 0)::int, (gmv_fen >= ${OVER_2M_FEN})::int, 0, 0
          from analytics_store_months
      ) u group by month
      having sum(a) + sum(i) > 0`.execute(trx);
  });
}
