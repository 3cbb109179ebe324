-- Seven-day price protection (guarantees module). Every price drop seen (price.changed), and every
-- payout it made: one per (order line, drop), whatever the number of deliveries or buyer checks.
create table price_protection_drops (
  change_id text primary key,
  sku_id uuid not null,
  cause text not null check (cause in ('merchant_price', 'subsidy')),
  funder text not null check (funder in ('merchant', 'platform')),
  at timestamptz not null,
  received_at timestamptz not null,
  -- Filled when the subscriber has compensated every protected line (a redelivery re-checks, pays nothing twice).
  processed_at timestamptz,
  lines_checked int not null default 0,
  payouts int not null default 0,
  paid_fen bigint not null default 0
);
create index price_protection_drops_sku on price_protection_drops (sku_id, at desc);

create table price_protection_payouts (
  order_id uuid not null,
  sku_id uuid not null,
  change_id text not null,
  buyer_id uuid not null,
  store_id uuid not null,
  funder text not null check (funder in ('merchant', 'platform')),
  quantity int not null check (quantity > 0),
  -- What the line had paid (net of earlier refunds) and what the same quantity cost at the drop.
  paid_fen bigint not null,
  now_fen bigint not null,
  amount_fen bigint not null check (amount_fen > 0 and amount_fen <= paid_fen),
  source text not null check (source in ('price_change', 'buyer_check')),
  created_at timestamptz not null,
  -- The ledger reference is price-protection:<order_id>:<sku_id>:<change_id>: once per line per drop.
  primary key (order_id, sku_id, change_id)
);
create index price_protection_payouts_buyer on price_protection_payouts (buyer_id, created_at desc);
