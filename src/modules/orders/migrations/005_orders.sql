create table cart_items (
  buyer_id uuid not null references accounts (id) on delete cascade,
  sku_id uuid not null references skus (id) on delete cascade,
  quantity int not null check (quantity between 1 and 99),
  added_at timestamptz not null,
  primary key (buyer_id, sku_id)
);

-- One checkout may span several stores: one order per store, paid together.
create table checkouts (
  id uuid primary key,
  buyer_id uuid not null references accounts (id),
  total_fen bigint not null check (total_fen > 0),
  created_at timestamptz not null,
  expires_at timestamptz not null
);
create index checkouts_buyer on checkouts (buyer_id, created_at desc);

create table orders (
  id uuid primary key,
  order_no text not null unique,
  checkout_id uuid not null references checkouts (id),
  buyer_id uuid not null references accounts (id),
  store_id uuid not null references stores (id),
  status text not null check (status in
    ('pending_payment', 'paid', 'shipped', 'delivered', 'completed', 'cancelled', 'expired', 'refunded')),
  total_fen bigint not null check (total_fen > 0),
  address jsonb not null,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  paid_at timestamptz,
  shipped_at timestamptz,
  carrier text,
  tracking_no text,
  delivered_at timestamptz,
  completed_at timestamptz,
  closed_at timestamptz,
  close_reason text
);
create index orders_buyer on orders (buyer_id, created_at desc);
create index orders_store on orders (store_id, created_at desc);
create index orders_checkout on orders (checkout_id);
create index orders_pending_expiry on orders (expires_at) where status = 'pending_payment';
create index orders_shipped on orders (shipped_at) where status = 'shipped';

create table order_lines (
  order_id uuid not null references orders (id) on delete cascade,
  sku_id uuid not null references skus (id),
  product_id uuid not null,
  title text not null,
  size text not null,
  color text not null,
  image text not null default '',
  unit_price_fen bigint not null check (unit_price_fen > 0),
  quantity int not null check (quantity > 0),
  primary key (order_id, sku_id)
);

create table order_events (
  id bigserial primary key,
  order_id uuid not null references orders (id) on delete cascade,
  from_status text,
  to_status text not null,
  actor text not null,
  at timestamptz not null
);
create index order_events_order on order_events (order_id, id);
