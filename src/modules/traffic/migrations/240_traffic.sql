-- Traffic (traffic module): the feed's impressions and their outcomes, the daily rollups merchants and
-- operators read, what the engine learned (item stats, buyers' interests), the operator's settings and
-- the plans (today's contracts, launch grants, Fuyao grants).

-- One row per page of the feed shown (written in batches by each API process: service.ts, flush); its
-- cards are in the arrays, in order. Card i's impression id is the page id with its last 4 hex digits
-- = i (the page id ends in 0000; impression-ids.ts), so an impression is found by its page's key.
create table traffic_pages (
  id uuid primary key,
  at timestamptz not null,
  -- Business day (Asia/Shanghai) of `at`.
  day date not null,
  -- The signed-in buyer, or the anonymous viewer's cookie id: exactly one is set.
  buyer_id uuid,
  anon_id uuid,
  -- The first card's position in its feed session.
  first_position int not null,
  item_kinds text[] not null check (item_kinds <@ array['product', 'video', 'live']),
  item_ids uuid[] not null,
  product_ids uuid[] not null,
  store_ids uuid[] not null,
  sources text[] not null
    check (sources <@ array['organic', 'cold_start', 'launch', 'fuyao', 'fan_growth']),
  check ((buyer_id is null) <> (anon_id is null)),
  check (cardinality(item_ids) between 1 and 65535)
);
-- Retention prunes pages by age (one index entry per page, not per card).
create index traffic_pages_at on traffic_pages (at);

-- One row per item shown (an impression): the pages' cards, for reading (not written to).
create view traffic_impressions as
select overlay(p.id::text placing lpad(to_hex(u.n::int - 1), 4, '0') from 33 for 4)::uuid as id,
       p.at, p.day, p.buyer_id, p.anon_id, u.item_kind, u.item_id, u.product_id, u.store_id, u.source,
       p.first_position + u.n::int - 1 as position
from traffic_pages p
cross join lateral unnest(p.item_kinds, p.item_ids, p.product_ids, p.store_ids, p.sources)
  with ordinality as u(item_kind, item_id, product_id, store_id, source, n);

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
