-- Traffic (traffic module): the feed's impressions and their outcomes, the daily rollups merchants and
-- operators read, what the engine learned (item stats, buyers' interests), the operator's settings and
-- the plans (today's contracts, launch grants, Fuyao grants).

-- One row per item shown in the feed. Written in batches by each API process (service.ts, flush).
create table traffic_impressions (
  id uuid primary key,
  at timestamptz not null,
  -- Business day (Asia/Shanghai) of `at`.
  day date not null,
  -- The signed-in buyer, or the anonymous viewer's cookie id: exactly one is set.
  buyer_id uuid,
  anon_id uuid,
  item_kind text not null check (item_kind in ('product', 'video', 'live')),
  item_id uuid not null,
  product_id uuid,
  store_id uuid not null,
  source text not null check (source in ('organic', 'cold_start', 'launch', 'fuyao', 'fan_growth')),
  position int not null,
  check ((buyer_id is null) <> (anon_id is null))
);
create index traffic_impressions_at on traffic_impressions (at);

-- A click or add-to-cart on an impression: once per (impression, kind).
create table traffic_events (
  impression_id uuid not null,
  kind text not null check (kind in ('click', 'cart')),
  at timestamptz not null,
  primary key (impression_id, kind)
);

-- Per store, business day and source: what merchants and operators read. Kept current by the same
-- writes as the rows above (impressions in the flush, events and order credits in their statements).
create table traffic_daily (
  day date not null,
  store_id uuid not null,
  source text not null check (source in ('organic', 'cold_start', 'launch', 'fuyao', 'fan_growth')),
  impressions int not null default 0,
  clicks int not null default 0,
  carts int not null default 0,
  orders int not null default 0,
  gmv_fen bigint not null default 0,
  primary key (day, store_id, source)
);
create index traffic_daily_store on traffic_daily (store_id, day);

-- What the engine learned per item, so a restarted process starts warm.
create table traffic_item_stats (
  item_key text primary key,
  impressions bigint not null default 0,
  clicks bigint not null default 0,
  orders bigint not null default 0,
  gmv_fen bigint not null default 0
);

-- Orders whose lines came from feed impressions (order.placed), credited when paid (order.paid) and
-- taken back once when cancelled after payment or refunded in full.
create table traffic_orders (
  order_id uuid primary key,
  buyer_id uuid not null,
  placed_at timestamptz not null,
  -- The business day it was paid: the rollup rows its credits went to (and come back from).
  paid_day date,
  reversed_at timestamptz
);

-- Each order line credited to the impression the buyer came from: the impression was shown to that
-- buyer, for that product. Once per (order, SKU).
create table traffic_order_credits (
  order_id uuid not null,
  sku_id uuid not null,
  impression_id uuid not null,
  store_id uuid not null,
  source text not null,
  item_key text not null,
  quantity int not null,
  amount_fen bigint not null,
  primary key (order_id, sku_id)
);

-- A signed-in buyer's interest vector (the engine's embedding space), moved by each click.
create table traffic_interests (
  buyer_id uuid primary key,
  vector real[] not null,
  updated_at timestamptz not null
);

-- The operator's settings (one row; absent = the defaults in settings.ts).
create table traffic_settings (
  id smallint primary key check (id = 1),
  settings jsonb not null,
  updated_at timestamptz not null,
  updated_by uuid
);

-- Each day's paced contracts: a cold-start minimum or a plan budget per store and source.
create table traffic_contracts (
  day date not null,
  store_id uuid not null,
  source text not null check (source in ('cold_start', 'launch', 'fuyao', 'fan_growth')),
  kind text not null check (kind in ('minimum', 'budget')),
  target_impressions int not null check (target_impressions >= 0),
  primary key (day, store_id, source)
);
create index traffic_contracts_store on traffic_contracts (store_id, day);

-- Launch-plan credits (impressions), spent at a daily pace between the grant's days. One automatic
-- grant per store (on its first product on sale while new); operators may add more.
create table traffic_launch_grants (
  id uuid primary key,
  store_id uuid not null,
  impressions int not null check (impressions > 0),
  starts_on date not null,
  ends_on date not null check (ends_on >= starts_on),
  granted_by text not null check (granted_by in ('auto', 'operator')),
  operator_id uuid,
  note text not null default '',
  created_at timestamptz not null
);
create unique index traffic_launch_grants_auto on traffic_launch_grants (store_id) where granted_by = 'auto';
create index traffic_launch_grants_store on traffic_launch_grants (store_id, ends_on);

-- Fuyao grants: a store that left cold start and passed the criteria gets a daily budget for a period.
create table traffic_fuyao_grants (
  store_id uuid primary key,
  starts_on date not null,
  ends_on date not null,
  budget_per_day int not null,
  -- The criteria as checked when granted (criterion, value, threshold, pass).
  checks jsonb not null,
  granted_at timestamptz not null
);
