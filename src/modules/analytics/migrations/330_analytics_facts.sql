-- Analytics keeps its own facts, fed by events (never read from the owning modules' tables), and
-- rollups kept current from them in the same statement: a fact row is written once (its key decides
-- whether a redelivered event moves anything), and only facts written by this statement move a rollup.
-- Days and months are business dates (Asia/Shanghai); `month` columns hold the month's first day.

-- A paid order: counts in the business day and month it was paid.
create table analytics_orders (
  order_id uuid primary key,
  store_id uuid not null,
  buyer_id uuid not null,
  placed_at timestamptz not null,
  paid_at timestamptz not null,
  day date not null,
  month date not null,
  total_fen bigint not null
);

-- Its lines: what sold (product, leaf category) and through which channel.
create table analytics_order_lines (
  order_id uuid not null references analytics_orders (order_id),
  product_id uuid not null,
  category_id text not null,
  channel text not null,
  amount_fen bigint not null,
  quantity integer not null
);
create index analytics_order_lines_order on analytics_order_lines (order_id);

-- Money that went back to a buyer: an after-sale refund (`aftersale:<request>`) or a paid order
-- cancelled (`cancelled:<order>`), counted in the business month it happened.
create table analytics_refunds (
  refund_key text primary key,
  order_id uuid not null,
  store_id uuid not null,
  reason text not null,
  amount_fen bigint not null,
  at timestamptz not null,
  day date not null,
  month date not null
);

-- A follow or an unfollow, keyed by what the event says (a store, a buyer, an instant).
create table analytics_fan_events (
  store_id uuid not null,
  buyer_id uuid not null,
  at timestamptz not null,
  kind text not null check (kind in ('follow', 'unfollow')),
  source text not null,
  day date not null,
  month date not null,
  primary key (store_id, buyer_id, at, kind)
);

-- Membership tables: who or what already counted in a month, so distinct counts move by one, once.
create table analytics_month_buyers (month date not null, buyer_id uuid not null, primary key (month, buyer_id));
create table analytics_month_products (month date not null, product_id uuid not null, primary key (month, product_id));
create table analytics_month_buyer_categories (
  month date not null,
  buyer_id uuid not null,
  category_id text not null,
  primary key (month, buyer_id, category_id)
);
create table analytics_store_month_buyers (
  store_id uuid not null,
  month date not null,
  buyer_id uuid not null,
  primary key (store_id, month, buyer_id)
);
-- The month of a store's first paid order (newly selling merchants).
create table analytics_store_first_sale (store_id uuid primary key, month date not null);

-- The platform by month.
create table analytics_platform_month (
  month date primary key,
  paid_orders bigint not null default 0,
  gmv_fen bigint not null default 0,
  active_buyers bigint not null default 0,
  selling_products bigint not null default 0,
  buyer_categories bigint not null default 0,
  selling_merchants bigint not null default 0,
  newly_selling_merchants bigint not null default 0,
  merchants_over_2m bigint not null default 0,
  refunds bigint not null default 0,
  refund_fen bigint not null default 0
);
create table analytics_platform_month_channels (
  month date not null,
  channel text not null,
  gmv_fen bigint not null default 0,
  primary key (month, channel)
);
create table analytics_platform_month_refund_reasons (
  month date not null,
  reason text not null,
  refunds bigint not null default 0,
  refund_fen bigint not null default 0,
  primary key (month, reason)
);

-- Each store by day and by month.
create table analytics_store_days (
  store_id uuid not null,
  day date not null,
  paid_orders bigint not null default 0,
  gmv_fen bigint not null default 0,
  refunds bigint not null default 0,
  refund_fen bigint not null default 0,
  follows bigint not null default 0,
  unfollows bigint not null default 0,
  primary key (store_id, day)
);
create table analytics_store_months (
  store_id uuid not null,
  month date not null,
  paid_orders bigint not null default 0,
  gmv_fen bigint not null default 0,
  buyers bigint not null default 0,
  refunds bigint not null default 0,
  refund_fen bigint not null default 0,
  follows bigint not null default 0,
  unfollows bigint not null default 0,
  primary key (store_id, month)
);
create table analytics_store_month_refund_reasons (
  store_id uuid not null,
  month date not null,
  reason text not null,
  refunds bigint not null default 0,
  refund_fen bigint not null default 0,
  primary key (store_id, month, reason)
);
create table analytics_store_month_fan_sources (
  store_id uuid not null,
  month date not null,
  source text not null,
  follows bigint not null default 0,
  primary key (store_id, month, source)
);
