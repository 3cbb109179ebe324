-- After-sale requests: a buyer asks for a refund of one line of a delivered or completed order.
-- Recorded here; the money moves through payments once it offers a line refund that is correct
-- before and after settlement (see the module's README note in service.ts).
create table aftersale_requests (
  id uuid primary key,
  order_id uuid not null references orders (id),
  sku_id uuid not null,
  product_id uuid not null,
  store_id uuid not null references stores (id),
  buyer_id uuid not null references accounts (id),
  reason text not null check (reason in
    ('size_too_small', 'size_too_large', 'quality', 'not_as_described', 'changed_mind', 'other')),
  note text not null default '' check (length(note) <= 500),
  amount_fen bigint not null check (amount_fen > 0),
  status text not null default 'requested' check (status in ('requested', 'approved', 'rejected', 'refunded')),
  created_at timestamptz not null,
  updated_at timestamptz not null,
  -- One request per order line.
  unique (order_id, sku_id)
);
create index aftersale_requests_buyer on aftersale_requests (buyer_id, created_at desc);
create index aftersale_requests_store on aftersale_requests (store_id, created_at desc);
