-- Size profiles: a buyer's answers, the body estimated from them (cm with uncertainty) and any real
-- measurements the buyer entered, which override the estimate zone by zone.
create table size_profiles (
  id uuid primary key,
  account_id uuid not null references accounts (id) on delete cascade,
  label text not null check (label in ('self', 'partner', 'child', 'other')),
  name text not null check (length(name) between 1 and 40),
  answers jsonb not null,
  estimate jsonb not null,
  measurements jsonb not null default '{}',
  created_at timestamptz not null,
  updated_at timestamptz not null,
  last_used_at timestamptz
);
create index size_profiles_account on size_profiles (account_id, created_at);

-- Learned fit corrections, one row per offset (level × key), updated incrementally by
-- applyFeedback in the same transaction as the outcome that caused it. Levels are the model's:
-- category, brand, product, buyer, buyerGroup (buyer × chart group), and buyerWidth.
create table size_corrections (
  level text not null check (level in ('category', 'brand', 'product', 'buyer', 'buyerGroup', 'buyerWidth')),
  key text not null,
  value double precision not null default 0,
  n int not null default 0,
  updated_at timestamptz not null,
  primary key (level, key)
);

-- Every recommendation shown: lets metrics tell purchases made with a recommendation from those without.
create table size_recommendations (
  id bigserial primary key,
  account_id uuid references accounts (id) on delete set null,
  product_id uuid not null,
  profile_id uuid,
  recommended_size text,
  confidence double precision not null,
  chart_source text not null check (chart_source in ('product', 'category')),
  body jsonb not null,
  created_at timestamptz not null
);
create index size_recommendations_account_product on size_recommendations (account_id, product_id, created_at desc);
create index size_recommendations_product on size_recommendations (product_id, created_at);

-- Fit outcomes the model learned from: buyer feedback after delivery, after-sale requests with a size
-- reason, or imported feedback (demo data, historical files). At most one per order line.
create table size_fit_outcomes (
  id uuid primary key,
  account_id uuid references accounts (id) on delete set null,
  order_id uuid,
  sku_id uuid,
  product_id uuid not null,
  store_id uuid not null,
  size text not null,
  fit text not null check (fit in ('small', 'fit', 'large')),
  source text not null check (source in ('feedback', 'aftersale', 'import')),
  body jsonb not null,
  created_at timestamptz not null,
  check (source = 'import' or (order_id is not null and sku_id is not null))
);
create unique index size_fit_outcomes_line on size_fit_outcomes (order_id, sku_id) where order_id is not null;
create index size_fit_outcomes_store on size_fit_outcomes (store_id, product_id);

-- Order lines refunded (or asked to be) for a size reason, reported by after-sale.
create table size_refund_lines (
  order_id uuid not null,
  sku_id uuid not null,
  product_id uuid not null,
  store_id uuid not null,
  account_id uuid,
  reason text not null check (reason in ('size_too_small', 'size_too_large')),
  created_at timestamptz not null,
  primary key (order_id, sku_id)
);
create index size_refund_lines_store on size_refund_lines (store_id, product_id);
