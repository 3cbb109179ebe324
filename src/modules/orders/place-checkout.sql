-- A whole checkout in ONE statement, sent prepared and in autocommit (checkout.ts, placeCheckout).
-- The facts it was priced with were read just before (checkout-facts, no transaction); every step
-- below either writes or checks that those facts still hold. A failed check makes the main SELECT
-- call checkout_refused(code, detail), which raises: the whole statement (every step) rolls back.
-- Data-modifying steps all see the statement's snapshot and all run even when nothing reads them,
-- so each write is conditional on the idempotency claim; foreign keys are checked at the end.
--
-- $1 buyer  $2 idempotency key  $3 request hash  $4 now  $5 checkout id  $6 expires at
-- $7 checkout total  $8 commission bps  $9 address
-- orders  (one per store): $10 id  $11 store  $12 total  $13 platform funded
-- lines   (one per SKU, in SKU-id order): $14 order  $15 sku  $16 product  $17 title  $18 size
--         $19 color  $20 image  $21 unit price  $22 quantity  $23 list price  $24 discounts
--         $25 paid  $26 platform funded
-- subsidy draws: $27 subsidy sku  $28 budget  $29 sku  $30 order  $31 units  $32 fen per unit
-- coupons: $33 held claims used  $34 automatic coupons  $35 their new claim ids
-- redemptions: $36 claim  $37 order  $38 fen
-- outbox: $39 `order.placed` payloads  $40 the topic's subscribers
-- attribution (where the buyer came from): lines $41 channel  $42 impression  $43 content;
--   orders $44 channel  $45 impression  $46 content; the checkout $47 channel  $48 impression  $49 content
with
-- 1. The idempotency claim, holding its answer already: the checkout id (the view is rebuilt from
--    the tables on replay). A duplicate racing on the same key waits on the primary key until this
--    statement commits, then claims nothing: every later step is conditional on `claim`.
claim as (
  insert into idempotency_keys (account_id, scope, key, request_hash, status_code, response, created_at)
  values ($1::uuid, 'checkout', $2::text, $3::text, 201, jsonb_build_object('checkoutId', $5::uuid),
          $4::timestamptz)
  on conflict do nothing
  returning key
),
-- 2. The lines as priced: SKU, quantity, the list price the quote used.
wanted as (
  select w.sku_id, w.qty, w.list_price
  from unnest($15::uuid[], $22::int[], $23::bigint[]) as w(sku_id, qty, list_price)
),
-- 3. Lock the SKU rows in SKU-id order (two checkouts of the same SKUs can never deadlock), after
--    the claim. FOR UPDATE returns each row's newest version: stock, product on sale, store open.
locked as materialized (
  select s.id, s.stock, w.qty, (p.status = 'on_sale') as on_sale, {{store_open(p.store_id)}} as store_open
  from wanted w
    join skus s on s.id = w.sku_id
    join products p on p.id = s.product_id
  where exists (select 1 from claim)
  order by s.id
  for update of s
),
-- 4. Reserve: sellable → reserved, only where enough is left (conditional update, re-checked on
--    the newest row version: never oversold), only for SKUs on sale in an open store.
taken as (
  update skus s set stock = s.stock - l.qty, reserved = s.reserved + l.qty,
                    stock_version = s.stock_version + 1
  from locked l
  where s.id = l.id and l.on_sale and l.store_open and s.stock >= l.qty
  returning s.id, s.stock, s.reserved, l.qty
),
-- 5. The stock movement log (catalog's logMoves): one `reserve` row per SKU taken.
moved as (
  insert into stock_movements
    (sku_id, at, kind, actor, reason, ref, on_hand_delta, reserved_delta, on_hand, reserved)
  select id, $4::timestamptz, 'reserve', 'buyer:' || $1::text, 'checkout', $5::uuid, 0, qty,
         stock + reserved, reserved
  from taken
),
-- 6. Verify: the list prices the quote used are still the SKUs' prices.
prices_ok as (
  select count(*) as n
  from wanted w join sku_prices sp on sp.sku_id = w.sku_id and sp.list_price_fen = w.list_price
),
-- 7. The subsidy units the quote draws (pricing's redeemQuote).
sub_wanted as (
  select *
  from unnest($27::uuid[], $28::uuid[], $29::uuid[], $30::uuid[], $31::int[], $32::bigint[])
    as t(subsidy_sku_id, budget_id, sku_id, order_id, units, fen_per_unit)
),
per_budget as (
  select budget_id, sum(units * fen_per_unit) as fen from sub_wanted group by budget_id
),
-- 8. Lock the budgets, then the SKU subsidies, in id order (after the SKUs; as lockSubsidies did).
budget_locked as materialized (
  select b.id from subsidy_budgets b
  where b.id in (select budget_id from sub_wanted) and (select count(*) from locked) > 0
  order by b.id
  for update
),
sub_locked as materialized (
  select ss.id from subsidy_skus ss
  where ss.id in (select subsidy_sku_id from sub_wanted) and (select count(*) from budget_locked) > 0
  order by ss.id
  for update
),
-- 9. Draw within the caps (conditional updates: a count short of the wanted rows is a refusal).
sku_caps as (
  update subsidy_skus ss set drawn_units = ss.drawn_units + w.units
  from sub_wanted w
  where ss.id = w.subsidy_sku_id and ss.id in (select id from sub_locked)
    and ss.drawn_units + w.units <= ss.cap_units
  returning ss.id, ss.drawn_units
),
budgets as (
  update subsidy_budgets b set drawn_fen = b.drawn_fen + p.fen
  from per_budget p
  where b.id = p.budget_id and b.id in (select id from budget_locked)
    and b.drawn_fen + p.fen <= b.total_fen
    and b.status = 'active' and b.starts_at <= $4::timestamptz and b.ends_at > $4::timestamptz
  returning b.id, b.drawn_fen, b.total_fen
),
-- 10. One draw row per subsidised line (a cancel or refund gives its units back).
draws as (
  insert into subsidy_draws (order_id, sku_id, subsidy_sku_id, budget_id, units, fen_per_unit, created_at)
  select order_id, sku_id, subsidy_sku_id, budget_id, units, fen_per_unit, $4::timestamptz
  from sub_wanted
  where exists (select 1 from claim)
),
-- 11. The subsidised SKUs' cached final price (pricing's refreshFinalPrices and subsidyPerUnitSql),
--     with this statement's own draws: the snapshot does not see them, so the counters just
--     updated replace the snapshot's.
refreshed as (
  update sku_prices sp
  set final_fen = greatest(1, sp.list_price_fen - coalesce((
    select max(least(ss.fen_per_unit, sp.list_price_fen - 1))
    from subsidy_skus ss
      join subsidy_budgets b on b.id = ss.budget_id
      left join sku_caps nc on nc.id = ss.id
      left join budgets nb on nb.id = b.id
    where ss.sku_id = sp.sku_id and b.status = 'active'
      and b.starts_at <= $4::timestamptz and b.ends_at > $4::timestamptz
      and coalesce(nc.drawn_units, ss.drawn_units) < ss.cap_units
      and coalesce(nb.total_fen - nb.drawn_fen, b.total_fen - b.drawn_fen) >= ss.fen_per_unit), 0))
  where sp.sku_id in (select sku_id from sub_wanted) and exists (select 1 from claim)
),
-- 12. Held coupon claims: used once, only while still `available` (locked in id order).
held as (
  update coupon_claims set status = 'used', used_at = $4::timestamptz, checkout_id = $5::uuid
  where id in (select id from coupon_claims
               where id = any($33::uuid[]) and (select count(*) from locked) > 0
               order by id for update)
    and buyer_id = $1::uuid and status = 'available'
  returning id
),
-- 13. Automatic coupons: lock them in id order, then claim one each within the total quantity
--     (the update re-checks the newest row version: other buyers' claims since the snapshot count).
coupon_locked as materialized (
  select c.id from coupons c
  where c.id = any($34::uuid[]) and (select count(*) from locked) > 0
  order by c.id
  for update
),
auto as (
  update coupons c set claimed_count = c.claimed_count + 1
  from coupon_locked l
  where c.id = l.id and c.status = 'active' and c.claimed_count < c.total_quantity
    and c.starts_at <= $4::timestamptz and c.ends_at > $4::timestamptz
  returning c.id
),
-- 14. The automatic claims, used at once, within the per-buyer limit (follow coupons: new customers only).
--     `mine` counts the buyer's claims in the statement's snapshot, which cannot see a claim of
--     theirs committed after it started (another checkout, a manual claim). The limit is held by the
--     unique key (coupon, buyer, ordinal) instead: each claim is numbered its buyer's count + 1, so
--     a count missing such a claim takes a number already taken and the claim is not inserted
--     (new_claims is short: price_changed, and the retry reads the facts again). Other buyers'
--     claims of the same coupon do not matter here: `auto` counts them on the locked row.
mine as (
  select cl.coupon_id, count(*)::int as n from coupon_claims cl
  where cl.buyer_id = $1::uuid and cl.coupon_id = any($34::uuid[])
  group by cl.coupon_id
),
new_claims as (
  insert into coupon_claims (id, coupon_id, buyer_id, ordinal, status, claimed_at, used_at, checkout_id)
  select t.id, t.coupon_id, $1::uuid, coalesce(m.n, 0) + 1, 'used', $4::timestamptz, $4::timestamptz, $5::uuid
  from unnest($35::uuid[], $34::uuid[]) as t(id, coupon_id)
    join auto a on a.id = t.coupon_id -- after the coupon row is locked, as a manual claim is
    join coupons c on c.id = t.coupon_id
    left join mine m on m.coupon_id = t.coupon_id
  where exists (select 1 from claim) and coalesce(m.n, 0) < c.per_buyer_limit
    and (c.kind <> 'follow_coupon' or not exists (
      select 1 from store_buyers sb where sb.store_id = c.store_id and sb.buyer_id = $1::uuid))
  on conflict (coupon_id, buyer_id, ordinal) do nothing
  returning id
),
-- 15. Each used claim, per order it was spread over.
redemptions as (
  insert into coupon_redemptions (claim_id, order_id, fen)
  select * from unnest($36::uuid[], $37::uuid[], $38::bigint[])
  where exists (select 1 from claim)
),
-- 16. The buyer is now a customer of the stores (follow coupons, store dashboards).
customers as (
  insert into store_buyers (store_id, buyer_id, first_order_at)
  select s, $1::uuid, $4::timestamptz from unnest($11::uuid[]) as s
  where exists (select 1 from claim)
  order by s -- in store-id order: two checkouts of one buyer in the same new stores cannot deadlock
  on conflict do nothing
),
-- 17. The checkout, with its attribution.
new_checkout as (
  insert into checkouts (id, buyer_id, total_fen, created_at, expires_at, channel, impression_id, content_id)
  select $5::uuid, $1::uuid, $7::bigint, $4::timestamptz, $6::timestamptz, $47::text, $48::uuid, $49::uuid
  where exists (select 1 from claim)
),
-- 18. Its orders, one per store, numbered YYYYMMDD- (UTC day) + order_no_seq, unique by construction.
numbered as (
  select t.*, nextval('order_no_seq') as n
  from unnest($10::uuid[], $11::uuid[], $12::bigint[], $13::bigint[], $44::text[], $45::uuid[], $46::uuid[])
    with ordinality as t(id, store_id, total_fen, platform_funded_fen, channel, impression_id, content_id, k)
  where exists (select 1 from claim)
),
new_orders as (
  insert into orders (id, order_no, checkout_id, buyer_id, store_id, status, total_fen, platform_funded_fen,
                      address, created_at, expires_at, commission_bps, channel, impression_id, content_id)
  select id, to_char($4::timestamptz at time zone 'UTC', 'YYYYMMDD') || '-' || lpad(n::text, greatest(9, length(n::text)), '0'),
         $5::uuid, $1::uuid, store_id, 'pending_payment', total_fen, platform_funded_fen, $9::jsonb,
         $4::timestamptz, $6::timestamptz, $8::int, channel, impression_id, content_id
  from numbered
  order by k
  returning id, order_no
),
-- 19. Their lines, each with its attribution.
new_lines as (
  insert into order_lines (order_id, sku_id, product_id, title, size, color, image, unit_price_fen, quantity,
                           list_price_fen, discounts, paid_fen, platform_funded_fen, channel, impression_id,
                           content_id)
  select * from unnest($14::uuid[], $15::uuid[], $16::uuid[], $17::text[], $18::text[], $19::text[],
                       $20::text[], $21::bigint[], $22::int[], $23::bigint[], $24::jsonb[], $25::bigint[],
                       $26::bigint[], $41::text[], $42::uuid[], $43::uuid[])
  where exists (select 1 from claim)
),
-- 20. Each order's first event.
first_events as (
  insert into order_events (order_id, from_status, to_status, actor, at)
  select id, null, 'pending_payment', 'buyer:' || $1::text, $4::timestamptz
  from unnest($10::uuid[]) as t(id)
  where exists (select 1 from claim)
),
-- 21. The bought SKUs leave the buyer's cart.
bought as (
  delete from cart_items
  where buyer_id = $1::uuid and sku_id = any($15::uuid[]) and exists (select 1 from claim)
),
-- 22. `order.placed`, one outbox job per (order, subscriber) (events.publishSql).
placed as (
  insert into outbox (topic, subscriber, payload, run_at)
  select 'order.placed', s.name, p.payload, $4::timestamptz
  from unnest($39::jsonb[]) with ordinality as p(payload, n) cross join unnest($40::text[]) as s(name)
  where exists (select 1 from claim)
  order by p.n
),
-- 23. The verdict, first failed check first: `replay` (the key was claimed by an earlier request:
--     nothing was written), a refusal, or `ok`.
verdict as (
  select case
    when not exists (select 1 from claim) then 'replay'
    when exists (select 1 from locked where not store_open) then 'store_suspended'
    when (select count(*) from locked) < (select count(*) from wanted)
      or exists (select 1 from locked where not on_sale) then 'sku_unavailable'
    when (select count(*) from taken) < (select count(*) from wanted) then 'out_of_stock'
    when (select n from prices_ok) < (select count(*) from wanted) then 'price_changed'
    when (select count(*) from sku_caps) < (select count(*) from sub_wanted)
      or (select count(*) from budgets) < (select count(*) from per_budget) then 'price_changed'
    when (select count(*) from held) < cardinality($33::uuid[]) then 'price_changed'
    when (select count(*) from auto) < cardinality($34::uuid[])
      or (select count(*) from new_claims) < cardinality($34::uuid[]) then 'price_changed'
    else 'ok'
  end as code
)
-- The answer: the verdict and the order numbers; a refusal raises here (checkout_refused).
select v.code,
       case when v.code not in ('ok', 'replay') then checkout_refused(v.code, jsonb_build_object('skuIds',
         case v.code
           when 'store_suspended' then (select jsonb_agg(l.id order by l.id) from locked l where not l.store_open)
           when 'sku_unavailable' then (
             select jsonb_agg(w.sku_id order by w.sku_id) from wanted w left join locked l on l.id = w.sku_id
             where l.id is null or not l.on_sale)
           when 'out_of_stock' then (
             select jsonb_agg(w.sku_id order by w.sku_id) from wanted w
             where w.sku_id not in (select id from taken))
         end)) end as refused,
       (select coalesce(jsonb_object_agg(o.id, o.order_no), '{}'::jsonb) from new_orders o) as order_nos
from verdict v
