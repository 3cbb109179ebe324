-- Pricing (issue 11): price history with cause and funder, the SKUs' current prices as pricing sees
-- them, low-price subsidies with budget caps, and coupons with claims and redemptions.

-- Price history: who changed what and why. `price_fen` stays the list price; `subsidy_fen` the
-- platform subsidy per unit in effect from `effective_at`.
alter table price_history
  add column if not exists cause text not null default 'merchant_price'
    check (cause in ('merchant_price', 'subsidy_start', 'subsidy_end')),
  add column if not exists funder text not null default 'merchant' check (funder in ('merchant', 'platform')),
  add column if not exists subsidy_fen bigint not null default 0 check (subsidy_fen >= 0),
  add column if not exists change_id uuid;

-- The SKU's list price and store as pricing sees them (kept by `recordPrices`, in catalog's
-- transactions), and its current subsidy-adjusted unit price `final_fen`, which the listing's price
-- sort reads (refreshed on every `price.changed`).
create table sku_prices (
  sku_id uuid primary key references skus (id) on delete cascade,
  store_id uuid not null,
  list_price_fen bigint not null check (list_price_fen > 0),
  final_fen bigint not null check (final_fen > 0),
  updated_at timestamptz not null
);
insert into sku_prices (sku_id, store_id, list_price_fen, final_fen, updated_at)
select s.id, p.store_id, s.price_fen, s.price_fen, now() from skus s join products p on p.id = s.product_id;

-- Low-price subsidy (低价商品补贴): an operator's budget (total cap, validity window) …
create table subsidy_budgets (
  id uuid primary key,
  title text not null,
  total_fen bigint not null check (total_fen > 0),
  drawn_fen bigint not null default 0 check (drawn_fen >= 0 and drawn_fen <= total_fen),
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  status text not null default 'active' check (status in ('active', 'stopped')),
  -- The windows task publishes `price.changed` once when the window opens and once when it closes.
  start_announced boolean not null default false,
  end_announced boolean not null default false,
  created_by uuid not null,
  created_at timestamptz not null,
  check (ends_at > starts_at)
);
-- … and the SKUs it subsidises: fen per unit, a cap of units per SKU.
create table subsidy_skus (
  id uuid primary key,
  budget_id uuid not null references subsidy_budgets (id) on delete cascade,
  sku_id uuid not null references skus (id) on delete cascade,
  fen_per_unit bigint not null check (fen_per_unit > 0),
  cap_units int not null check (cap_units > 0),
  drawn_units int not null default 0 check (drawn_units >= 0 and drawn_units <= cap_units),
  unique (budget_id, sku_id)
);
create index subsidy_skus_sku on subsidy_skus (sku_id);
-- What each order line drew; `released_units` come back on cancel or refund of the units.
create table subsidy_draws (
  id bigserial primary key,
  order_id uuid not null,
  sku_id uuid not null,
  subsidy_sku_id uuid not null references subsidy_skus (id) on delete cascade,
  budget_id uuid not null,
  units int not null check (units > 0),
  fen_per_unit bigint not null check (fen_per_unit > 0),
  released_units int not null default 0 check (released_units >= 0 and released_units <= units),
  created_at timestamptz not null
);
create index subsidy_draws_order on subsidy_draws (order_id);

-- Coupons: store coupons and follow-store coupons (merchant-funded), platform coupons (platform-funded).
create table coupons (
  id uuid primary key,
  kind text not null check (kind in ('store_coupon', 'platform_coupon', 'follow_coupon')),
  store_id uuid,
  title text not null,
  discount_fen bigint not null check (discount_fen > 0),
  threshold_fen bigint not null default 0 check (threshold_fen >= 0),
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  per_buyer_limit int not null default 1 check (per_buyer_limit between 1 and 100),
  total_quantity int not null check (total_quantity > 0),
  claimed_count int not null default 0 check (claimed_count >= 0 and claimed_count <= total_quantity),
  auto_claim boolean not null default false,
  status text not null default 'active' check (status in ('active', 'stopped')),
  created_by uuid not null,
  created_at timestamptz not null,
  check (ends_at > starts_at),
  check ((kind = 'platform_coupon') = (store_id is null))
);
create index coupons_store on coupons (store_id, ends_at);
create index coupons_platform on coupons (ends_at) where store_id is null;
create table coupon_claims (
  id uuid primary key,
  coupon_id uuid not null references coupons (id) on delete cascade,
  buyer_id uuid not null,
  status text not null check (status in ('available', 'used')),
  claimed_at timestamptz not null,
  used_at timestamptz,
  checkout_id uuid
);
create index coupon_claims_buyer on coupon_claims (buyer_id, status);
create index coupon_claims_coupon on coupon_claims (coupon_id, buyer_id);
-- A used claim, per order it was spread over (a platform coupon can span a checkout's orders).
create table coupon_redemptions (
  claim_id uuid not null references coupon_claims (id) on delete cascade,
  order_id uuid not null,
  fen bigint not null check (fen > 0),
  released boolean not null default false,
  primary key (claim_id, order_id)
);
create index coupon_redemptions_order on coupon_redemptions (order_id);
-- Buyers who have bought from a store (new-customer follow coupons are for the others).
create table store_buyers (
  store_id uuid not null,
  buyer_id uuid not null,
  first_order_at timestamptz not null,
  primary key (store_id, buyer_id)
);
