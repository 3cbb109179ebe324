-- Everything a checkout's quote and its write need, in one statement, read before the write and
-- without a transaction (checkout.ts, placeCheckout): the lines (the cart's when the request gave
-- none), what is sold (catalog: SKU, product; merchants: store open, store names), pricing's list
-- prices, subsidies with room and coupons with the buyer's claims (the rows pricing's quote reads),
-- and the Idempotency-Key's row if any. Like place-checkout.sql, it names other modules' tables:
-- the hot path's two statements are the one exception to the module boundaries (docs/ARCHITECTURE.md,
-- "Known departures"; src/modules/boundaries.test.ts lists them).
--
-- $1 buyer  $2 SKU ids (null: the cart)  $3 quantities  $4 now  $5 coupon ids (null: every coupon;
-- '{}': none)  $6 the Idempotency-Key
--
-- Each line comes with the attribution of the buyer's cart line of its SKU (`cartAttribution`, null
-- when the SKU is not in the cart): a checkout of the cart keeps it; a buy-now line without its own
-- falls back to it (checkout.ts, line-attribution.ts).
with wanted as (
  select w.sku_id, w.quantity, c.channel, c.impression_id, c.content_id
  from unnest($2::uuid[], $3::int[]) as w(sku_id, quantity)
    left join cart_items c on c.buyer_id = $1::uuid and c.sku_id = w.sku_id
  where $2::uuid[] is not null
  union all
  select c.sku_id, c.quantity, c.channel, c.impression_id, c.content_id
  from cart_items c where $2::uuid[] is null and c.buyer_id = $1::uuid
), sku as (
  select s.id as "skuId", p.id as "productId", p.store_id as "storeId", p.title,
         coalesce(p.images->>0, '') as image, s.size, s.color, (p.status = 'on_sale') as "onSale",
         {{store_open(p.store_id)}} as "storeOpen"
  from skus s join products p on p.id = s.product_id
  where s.id in (select sku_id from wanted)
), price as (
  select sku_id, store_id, list_price_fen::bigint as list_price_fen from sku_prices
  where sku_id in (select sku_id from wanted)
), subsidy as (
  select ss.id, ss.budget_id, ss.sku_id, ss.fen_per_unit::bigint as fen_per_unit,
         (ss.cap_units - ss.drawn_units)::int as units_left, (b.total_fen - b.drawn_fen)::bigint as budget_left
  from subsidy_skus ss join subsidy_budgets b on b.id = ss.budget_id
  where ss.sku_id in (select sku_id from wanted) and b.status = 'active'
    and b.starts_at <= $4::timestamptz and b.ends_at > $4::timestamptz and ss.drawn_units < ss.cap_units
), coupon as (
  select c.id, c.kind, c.store_id, c.title, c.discount_fen::bigint as discount_fen,
         c.threshold_fen::bigint as threshold_fen, c.per_buyer_limit, c.total_quantity, c.claimed_count,
         c.auto_claim, c.created_at,
         (select cl.id from coupon_claims cl where cl.coupon_id = c.id and cl.buyer_id = $1::uuid
            and cl.status = 'available' order by cl.claimed_at, cl.id limit 1) as claim_id,
         (select count(*)::int from coupon_claims cl where cl.coupon_id = c.id and cl.buyer_id = $1::uuid) as claims,
         exists (select 1 from store_buyers sb where sb.store_id = c.store_id and sb.buyer_id = $1::uuid) as bought
  from coupons c
  where c.status = 'active' and c.starts_at <= $4::timestamptz and c.ends_at > $4::timestamptz
    and (c.store_id in (select store_id from price) or c.store_id is null)
    and ($5::uuid[] is null or c.id = any($5::uuid[]))
)
select
  (select coalesce(jsonb_agg(jsonb_build_object('skuId', sku_id, 'quantity', quantity, 'cartAttribution',
     case when channel is not null then jsonb_build_object('channel', channel, 'impressionId', impression_id,
       'contentId', content_id) end) order by sku_id), '[]'::jsonb)
   from wanted) as lines,
  (select coalesce(jsonb_agg(to_jsonb(sku)), '[]'::jsonb) from sku) as skus,
  (select coalesce(jsonb_agg(to_jsonb(price)), '[]'::jsonb) from price) as prices,
  (select coalesce(jsonb_agg(to_jsonb(subsidy) order by subsidy.fen_per_unit desc, subsidy.id), '[]'::jsonb)
   from subsidy) as subsidies,
  (select coalesce(jsonb_agg(to_jsonb(coupon) - 'created_at' order by coupon.created_at, coupon.id), '[]'::jsonb)
   from coupon) as coupons,
  (select coalesce(jsonb_object_agg(st.id, st.name), '{}'::jsonb) from stores st
   where st.id in (select "storeId" from sku)) as "storeNames",
  (select jsonb_build_object('hash', k.request_hash, 'status', k.status_code, 'response', k.response)
   from idempotency_keys k where k.account_id = $1::uuid and k.scope = 'checkout' and k.key = $6::text) as idem
